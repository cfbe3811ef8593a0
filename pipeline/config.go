package pipeline

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
	"gopkg.in/yaml.v3"
)

// ErrConfig marks configuration errors (exit status 2).
var ErrConfig = errors.New("invalid configuration")

// Connector names.
const (
	ConnectorSmartRecruiters = "smartrecruiters"
	ConnectorPhenom          = "phenom"
)

// Secret holds a credential read from the environment. Its String and
// GoString never reveal the value, so it cannot leak through %v or logs.
type Secret struct{ v string }

// NewSecret wraps a credential.
func NewSecret(v string) Secret { return Secret{v: v} }

// Reveal returns the credential, for the one place that sends it.
func (s Secret) Reveal() string { return s.v }

// String redacts the value.
func (s Secret) String() string { return "[redacted]" }

// GoString redacts the value.
func (s Secret) GoString() string { return "[redacted]" }

// MarshalText redacts the value.
func (s Secret) MarshalText() ([]byte, error) { return []byte("[redacted]"), nil }

// Connection is one configured source connection.
type Connection struct {
	ID        string
	Connector string
	BaseURL   string
	Schedule  string
	// Unthrottled drops the client-side request-rate limit (not a config
	// key: the demo, tests and benchmarks set it for sandboxes whose limits
	// are relaxed). Concurrency caps still apply.
	Unthrottled bool
	// SmartRecruiters
	Token         Secret // from token_env
	FullSyncEvery time.Duration
	Lookback      time.Duration
	AppURL        string
	// SmartRecruiters (OAuth) and Phenom
	ClientID     Secret
	ClientSecret Secret
	// Phenom
	TokenURL string
	SiteType string
	Locale   string
}

// Config is a loaded and validated configuration file.
type Config struct {
	Path        string // the file it came from
	Lake        string // absolute lake folder
	Connections []Connection
}

// Connection returns the connection with the given id.
func (c *Config) Connection(id string) (Connection, bool) {
	for _, conn := range c.Connections {
		if conn.ID == id {
			return conn, true
		}
	}
	return Connection{}, false
}

// ConnectionIDPattern is the rule for connection ids.
var ConnectionIDPattern = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,62}$`)

// ValidConnectionID reports whether id may name a connection (and a partition folder).
func ValidConnectionID(id string) bool { return ConnectionIDPattern.MatchString(id) }

var allowedKeys = map[string]map[string]bool{
	ConnectorSmartRecruiters: set("id", "connector", "base_url", "schedule", "token_env", "client_id_env", "client_secret_env", "full_sync_every", "lookback", "app_url"),
	ConnectorPhenom:          set("id", "connector", "base_url", "schedule", "token_url", "client_id_env", "client_secret_env", "site_type", "locale"),
}

var knownKeys = set("id", "connector", "base_url", "schedule", "token_env", "client_id_env", "client_secret_env", "full_sync_every", "lookback", "app_url", "token_url", "site_type", "locale")

func set(keys ...string) map[string]bool {
	m := make(map[string]bool, len(keys))
	for _, k := range keys {
		m[k] = true
	}
	return m
}

// LoadConfig reads, parses and validates a configuration file. Environment
// variables are read through getenv (os.Getenv when nil). Every error names
// the file, the line, the key and the reason, and wraps ErrConfig.
func LoadConfig(path string, getenv func(string) string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrConfig, path, errors.Unwrap(err))
	}
	return ParseConfig(path, data, getenv)
}

// ParseConfig parses and validates configuration text; path names it in errors
// and anchors a relative lake folder.
func ParseConfig(path string, data []byte, getenv func(string) string) (*Config, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	p := &configParser{path: path, getenv: getenv}
	cfg, err := p.parse(data)
	if err != nil {
		return nil, err
	}
	return cfg, nil
}

type configParser struct {
	path   string
	getenv func(string) string
}

func (p *configParser) errf(n *yaml.Node, key, format string, args ...any) error {
	line := ""
	if n != nil && n.Line > 0 {
		line = ":" + strconv.Itoa(n.Line)
	}
	return fmt.Errorf("%w: %s%s: %s: %s", ErrConfig, p.path, line, key, fmt.Sprintf(format, args...))
}

func (p *configParser) parse(data []byte) (*Config, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%w: %s: %s", ErrConfig, p.path, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, p.errf(nil, "(file)", "empty configuration")
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, p.errf(root, "(file)", "expected a mapping with keys lake and connections")
	}
	cfg := &Config{Path: p.path}
	var conns *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch k.Value {
		case "lake":
			if v.Kind != yaml.ScalarNode || strings.TrimSpace(v.Value) == "" {
				return nil, p.errf(v, "lake", "must be a folder path")
			}
			cfg.Lake = v.Value
		case "connections":
			conns = v
		default:
			return nil, p.errf(k, k.Value, "unknown key (known: lake, connections)")
		}
	}
	if cfg.Lake == "" {
		return nil, p.errf(root, "lake", "required key is missing")
	}
	if !filepath.IsAbs(cfg.Lake) {
		cfg.Lake = filepath.Join(filepath.Dir(p.path), cfg.Lake)
	}
	if abs, err := filepath.Abs(cfg.Lake); err == nil {
		cfg.Lake = abs
	}
	if conns == nil {
		return nil, p.errf(root, "connections", "required key is missing")
	}
	if conns.Kind != yaml.SequenceNode || len(conns.Content) == 0 {
		return nil, p.errf(conns, "connections", "must be a non-empty list")
	}
	seen := map[string]bool{}
	for i, n := range conns.Content {
		c, err := p.connection(fmt.Sprintf("connections[%d]", i), n)
		if err != nil {
			return nil, err
		}
		if seen[c.ID] {
			return nil, p.errf(n, fmt.Sprintf("connections[%d].id", i), "duplicate connection id %q", c.ID)
		}
		seen[c.ID] = true
		cfg.Connections = append(cfg.Connections, c)
	}
	return cfg, nil
}

func (p *configParser) connection(at string, n *yaml.Node) (Connection, error) {
	if n.Kind != yaml.MappingNode {
		return Connection{}, p.errf(n, at, "must be a mapping")
	}
	vals := map[string]*yaml.Node{}
	keys := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !knownKeys[k.Value] {
			return Connection{}, p.errf(k, at+"."+k.Value, "unknown key")
		}
		if _, dup := vals[k.Value]; dup {
			return Connection{}, p.errf(k, at+"."+k.Value, "key given twice")
		}
		if v.Kind != yaml.ScalarNode {
			return Connection{}, p.errf(v, at+"."+k.Value, "must be a single value")
		}
		vals[k.Value], keys[k.Value] = v, k
	}
	get := func(key string) string {
		if v := vals[key]; v != nil {
			return strings.TrimSpace(v.Value)
		}
		return ""
	}
	c := Connection{ID: get("id"), Connector: get("connector"), BaseURL: get("base_url"), Schedule: get("schedule")}
	for _, req := range []string{"id", "connector", "base_url"} {
		if get(req) == "" {
			return c, p.errf(n, at+"."+req, "required key is missing")
		}
	}
	if !ValidConnectionID(c.ID) {
		return c, p.errf(vals["id"], at+".id", "%q is not a valid connection id (lower-case letter first, then lower-case letters, digits, '_' or '-', at most 63 characters)", c.ID)
	}
	at = fmt.Sprintf("%s (%s)", at, c.ID)
	allowed, ok := allowedKeys[c.Connector]
	if !ok {
		return c, p.errf(vals["connector"], at+".connector", "unknown connector %q (known: smartrecruiters, phenom)", c.Connector)
	}
	for key, k := range keys {
		if !allowed[key] {
			return c, p.errf(k, at+"."+key, "not a key of the %s connector", c.Connector)
		}
	}
	if err := checkURL(c.BaseURL); err != nil {
		return c, p.errf(vals["base_url"], at+".base_url", "%v", err)
	}
	if c.Schedule != "" {
		if _, err := ParseSchedule(c.Schedule); err != nil {
			return c, p.errf(vals["schedule"], at+".schedule", "%v", err)
		}
	}
	env := func(key string) (Secret, error) {
		name := get(key)
		if name == "" {
			return Secret{}, nil
		}
		v := p.getenv(name)
		if v == "" {
			return Secret{}, p.errf(vals[key], at+"."+key, "environment variable %s is not set", name)
		}
		return NewSecret(v), nil
	}
	var err error
	if c.ClientID, err = env("client_id_env"); err != nil {
		return c, err
	}
	if c.ClientSecret, err = env("client_secret_env"); err != nil {
		return c, err
	}
	hasID, hasSecret := get("client_id_env") != "", get("client_secret_env") != ""
	if hasID != hasSecret {
		missing := "client_secret_env"
		if !hasID {
			missing = "client_id_env"
		}
		return c, p.errf(n, at+"."+missing, "client_id_env and client_secret_env go together")
	}
	switch c.Connector {
	case ConnectorSmartRecruiters:
		if c.Token, err = env("token_env"); err != nil {
			return c, err
		}
		hasToken := get("token_env") != ""
		if hasToken == hasID {
			return c, p.errf(n, at+".token_env", "give exactly one of token_env or client_id_env/client_secret_env")
		}
		if c.FullSyncEvery, err = durationKey(get("full_sync_every"), 24*time.Hour); err != nil {
			return c, p.errf(vals["full_sync_every"], at+".full_sync_every", "%v", err)
		}
		if c.Lookback, err = durationKey(get("lookback"), 10*time.Minute); err != nil {
			return c, p.errf(vals["lookback"], at+".lookback", "%v", err)
		}
		c.AppURL = get("app_url")
		if c.AppURL == "" {
			c.AppURL = "https://www.smartrecruiters.com"
		} else if err := checkURL(c.AppURL); err != nil {
			return c, p.errf(vals["app_url"], at+".app_url", "%v", err)
		}
		c.AppURL = strings.TrimRight(c.AppURL, "/")
	case ConnectorPhenom:
		c.TokenURL = get("token_url")
		if c.TokenURL == "" {
			return c, p.errf(n, at+".token_url", "required key is missing")
		}
		if err := checkURL(c.TokenURL); err != nil {
			return c, p.errf(vals["token_url"], at+".token_url", "%v", err)
		}
		if !hasID {
			return c, p.errf(n, at+".client_id_env", "required key is missing")
		}
		c.SiteType = get("site_type")
		if c.SiteType == "" {
			c.SiteType = "external"
		}
		c.Locale = get("locale")
		if c.Locale == "" {
			c.Locale = "en_US"
		}
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	c.TokenURL = strings.TrimRight(c.TokenURL, "/")
	return c, nil
}

func checkURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an http(s) URL", s)
	}
	return nil
}

func durationKey(s string, def time.Duration) (time.Duration, error) {
	if s == "" {
		return def, nil
	}
	d, err := ParseDuration(s)
	if err != nil {
		return 0, err
	}
	if d <= 0 {
		return 0, fmt.Errorf("%q must be positive", s)
	}
	return d, nil
}

var dayPattern = regexp.MustCompile(`(\d+(?:\.\d+)?)d`)

// ParseDuration parses Go duration syntax plus "d" for days (24h), e.g. "1d12h".
func ParseDuration(s string) (time.Duration, error) {
	orig := s
	var days float64
	s = dayPattern.ReplaceAllStringFunc(s, func(m string) string {
		f, _ := strconv.ParseFloat(strings.TrimSuffix(m, "d"), 64)
		days += f
		return ""
	})
	var d time.Duration
	if s != "" {
		var err error
		if d, err = time.ParseDuration(s); err != nil {
			return 0, fmt.Errorf("%q is not a duration (Go syntax plus d for days, e.g. 90m, 24h, 7d)", orig)
		}
	} else if days == 0 {
		return 0, fmt.Errorf("%q is not a duration (Go syntax plus d for days, e.g. 90m, 24h, 7d)", orig)
	}
	return d + time.Duration(days*float64(24*time.Hour)), nil
}

var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// ParseSchedule parses a schedule: 5-field cron (UTC unless it starts with
// CRON_TZ=) or a descriptor such as "@every 3h" or "@daily".
func ParseSchedule(s string) (cron.Schedule, error) {
	spec := strings.TrimSpace(s)
	if strings.HasPrefix(spec, "@every ") {
		d, err := ParseDuration(strings.TrimSpace(strings.TrimPrefix(spec, "@every ")))
		if err != nil {
			return nil, err
		}
		if d <= 0 {
			return nil, fmt.Errorf("%q: the interval must be positive", s)
		}
		return cron.Every(d), nil
	}
	if !strings.HasPrefix(spec, "CRON_TZ=") && !strings.HasPrefix(spec, "TZ=") {
		spec = "CRON_TZ=UTC " + spec
	} else if !strings.Contains(spec, " ") {
		// robfig/cron panics on a time zone without a schedule after it.
		return nil, fmt.Errorf("%q is not a schedule: a time zone must be followed by the cron fields", s)
	}
	sched, err := parseCron(spec)
	if err != nil {
		return nil, fmt.Errorf("%q is not a schedule (5-field cron or @every <duration>): %v", s, err)
	}
	return sched, nil
}

// parseCron is cronParser.Parse turning a panic of the library into an error.
func parseCron(spec string) (sched cron.Schedule, err error) {
	defer func() {
		if p := recover(); p != nil {
			sched, err = nil, fmt.Errorf("unparsable: %v", p)
		}
	}()
	return cronParser.Parse(spec)
}
