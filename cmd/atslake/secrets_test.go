package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"io/fs"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/atslake/atslake/internal/render"
	phsandbox "github.com/atslake/atslake/sandbox/phenom"
	srsandbox "github.com/atslake/atslake/sandbox/smartrecruiters"
)

// TestSecretsNeverLeak syncs three connections (a SmartRecruiters API key,
// SmartRecruiters OAuth client credentials, Phenom client credentials, each
// distinctive) with debug logging, in JSON and in text on an emulated
// terminal, against sandboxes that fail some requests (retry logs) and expire
// Phenom tokens quickly (refreshes); then once more with wrong, equally
// distinctive credentials and plain text logs (failure paths, failed run
// records). No output stream and no file under the lake (Parquet,
// catalog.duckdb, journals, run records, locks) contains any of the
// secrets, in plain, URL-encoded or Basic-auth form.
func TestSecretsNeverLeak(t *testing.T) {
	t.Parallel()
	const (
		srToken     = "srTOKEN-q7Zx3Vb9Lw2Kp5Nd"
		srClientID  = "sr-client-leaktest"
		srSecret    = "srSECRET-Hm4Tg8Rf1Yc6Ej0"
		phClientID  = "ph-client-leaktest"
		phSecret    = "phSECRET-Wn2Qa5Zs8Xd3Cv7"
		badToken    = "srTOKEN-wrong-Ju6Ik9Ol2Pm4"
		badSRSecret = "srSECRET-wrong-Bg5Nh8Mj1"
		badPHSecret = "phSECRET-wrong-Kl3Za6Xs9"
	)
	secrets := []string{srToken, srSecret, phSecret, badToken, badSRSecret, badPHSecret}
	var needles []string
	for _, s := range secrets {
		needles = append(needles, s, url.QueryEscape(s))
	}
	for _, pair := range [][2]string{{srClientID, srSecret}, {phClientID, phSecret}, {srClientID, badSRSecret}, {phClientID, badPHSecret}} {
		needles = append(needles, base64.StdEncoding.EncodeToString([]byte(pair[0]+":"+pair[1])),
			base64.URLEncoding.EncodeToString([]byte(pair[0]+":"+pair[1])))
	}

	srCfg := srsandbox.DefaultConfig()
	srCfg.Scale, srCfg.RateLimit, srCfg.FailRate = 6, 0, 0.05
	srCfg.Token, srCfg.ClientID, srCfg.ClientSecret = srToken, srClientID, srSecret
	sr, err := srsandbox.New(srCfg)
	if err != nil {
		t.Fatal(err)
	}
	srSrv := httptest.NewServer(sr)
	defer srSrv.Close()
	phCfg := phsandbox.DefaultConfig()
	phCfg.Scale, phCfg.FailRate, phCfg.TokenTTL = 10, 0.05, 2*time.Second
	phCfg.ClientID, phCfg.ClientSecret = phClientID, phSecret
	ph, err := phsandbox.New(phCfg)
	if err != nil {
		t.Fatal(err)
	}
	phSrv := httptest.NewServer(ph)
	defer phSrv.Close()

	dir := t.TempDir()
	lake := filepath.Join(dir, "lake")
	conf := writeConfig(t, dir, fmt.Sprintf(`lake: ./lake
connections:
  - id: leak-sr-token
    connector: smartrecruiters
    base_url: %[1]s
    token_env: LEAK_SR_TOKEN
  - id: leak-sr-oauth
    connector: smartrecruiters
    base_url: %[1]s
    client_id_env: LEAK_SR_ID
    client_secret_env: LEAK_SR_SECRET
  - id: leak-phenom
    connector: phenom
    base_url: %[2]s
    token_url: %[2]s
    client_id_env: LEAK_PH_ID
    client_secret_env: LEAK_PH_SECRET
`, srSrv.URL, phSrv.URL))
	good := map[string]string{"LEAK_SR_TOKEN": srToken, "LEAK_SR_ID": srClientID, "LEAK_SR_SECRET": srSecret, "LEAK_PH_ID": phClientID, "LEAK_PH_SECRET": phSecret}
	bad := map[string]string{"LEAK_SR_TOKEN": badToken, "LEAK_SR_ID": srClientID, "LEAK_SR_SECRET": badSRSecret, "LEAK_PH_ID": phClientID, "LEAK_PH_SECRET": badPHSecret}

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var outputs []string
	step := func(name string, wantCode int, environ map[string]string, args ...string) {
		t.Helper()
		code, out, errOut := runCLI(t, ctx, environ, args...)
		outputs = append(outputs, name+" stdout\n"+out, name+" stderr\n"+errOut)
		if code != wantCode {
			t.Errorf("%s: exit %d, want %d\nstdout: %s\nstderr: %s", name, code, wantCode, out, errOut)
		}
	}
	step("json", 0, good, "sync", "--config", conf, "--log-level", "debug", "--log-format", "json")
	// On a terminal (emulated): the live display and the log lines above it.
	var tout, terr syncBuffer
	e := env{stdout: &tout, stderr: &terr, getenv: func(k string) string { return good[k] }, unthrottled: true,
		isTerminal: func(io.Writer) bool { return true }, display: []render.DisplayOption{render.WithTerminalEmulation(160)}}
	if code := runEnv(ctx, e, []string{"sync", "--config", conf, "--log-level", "debug", "--full"}); code != 0 {
		t.Errorf("terminal: exit %d\n%s\n%s", code, tout.String(), terr.String())
	}
	outputs = append(outputs, "terminal stdout\n"+tout.String(), "terminal stderr\n"+terr.String())
	// Plain text logs on the failure paths.
	step("wrong credentials", 1, bad, "sync", "--config", conf, "--log-level", "debug")
	step("runs", 0, nil, "runs", "--lake", lake, "--limit", "100", "--format", "csv")
	step("query", 0, nil, "query", "--lake", lake, "--format", "json", "SELECT * FROM runs")

	// The checks below would be vacuous if nothing ran or failed.
	all := strings.Join(outputs, "\n")
	for _, want := range []string{"leak-sr-token: full succeeded", "leak-sr-oauth: full succeeded", "leak-phenom: full succeeded",
		`"level":"DEBUG"`, "level=DEBUG", "leak-sr-token: * failed", "leak-sr-oauth: * failed", "leak-phenom: full failed", "401"} {
		if ok, _ := regexp.MatchString(strings.ReplaceAll(regexp.QuoteMeta(want), `\*`, `\w+`), all); !ok {
			t.Errorf("outputs lack %q\n%s", want, all)
		}
	}
	for _, o := range outputs {
		for _, s := range needles {
			if i := strings.Index(o, s); i >= 0 {
				name, _, _ := strings.Cut(o, "\n")
				t.Errorf("%s contains a secret: ...%s...", name, o[max(0, i-80):min(len(o), i+len(s)+20)])
			}
		}
	}

	files := 0
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		for _, s := range needles {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("%s contains a secret", path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"catalog.duckdb", "_runs", ".parquet"} {
		found := false
		_ = filepath.WalkDir(lake, func(path string, d fs.DirEntry, err error) error {
			found = found || strings.Contains(path, want)
			return nil
		})
		if !found {
			t.Errorf("no %s under the lake: nothing was checked", want)
		}
	}
	t.Logf("checked %d files and %d outputs for %d needles", files, len(outputs), len(needles))
}
