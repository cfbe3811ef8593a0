package extract

// clientState holds the client's runtime state (limiters, counters).
type clientState struct{}
