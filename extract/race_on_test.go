//go:build race

package extract

// raceEnabled: the race detector slows everything several times, so tests
// that measure timing across goroutines widen their tolerances.
const raceEnabled = true
