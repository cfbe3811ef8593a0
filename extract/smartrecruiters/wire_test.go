package smartrecruiters

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"slices"
	"testing"

	"github.com/atslake/atslake/extract"
)

// fixtureBodies returns every body of the fixture tenant, as fuzz seeds.
func fixtureBodies(f *testing.F) [][]byte {
	raw, err := os.ReadFile("testdata/tenant.json")
	if err != nil {
		f.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		f.Fatal(err)
	}
	var out [][]byte
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

func TestCandidateJobs(t *testing.T) {
	cases := []struct {
		raw  string
		want []string
		ok   bool
	}{
		{`{"primaryAssignment":{"job":{"id":"j1"}},"secondaryAssignments":[{"job":{"id":"j2"}},{"job":{"id":"j3"}}]}`, []string{"j1", "j2", "j3"}, true},
		{`{"secondaryAssignments":[{"job":{"id":"j2"}}]}`, []string{"j2"}, true},
		{`{"primaryAssignment":{"job":{"id":"j1"}},"secondaryAssignments":[{"job":{"id":"j1"}}]}`, []string{"j1"}, true},
		{`{"primaryAssignment":null,"secondaryAssignments":null}`, []string{}, true},
		{`{}`, []string{}, true},
		{`{"primaryAssignment":{"job":{"id":7}}}`, []string{"7"}, true},
		{`{"primaryAssignment":{"job":{}}}`, nil, false},
		{`{"primaryAssignment":{"job":{"id":""}}}`, nil, false},
		{`{"primaryAssignment":{"status":"NEW"}}`, nil, false},
		{`{"primaryAssignment":[]}`, nil, false},
		{`{"secondaryAssignments":{}}`, nil, false},
		{`{"secondaryAssignments":[1]}`, nil, false},
		{`[]`, nil, false},
		{`nope`, nil, false},
	}
	for _, tc := range cases {
		got, err := candidateJobs([]byte(tc.raw))
		if (err == nil) != tc.ok || (err != nil && !errors.Is(err, extract.ErrMalformed)) {
			t.Errorf("%s: err %v, want ok=%v", tc.raw, err, tc.ok)
			continue
		}
		if tc.ok && !slices.Equal(got, tc.want) {
			t.Errorf("%s: %q, want %q", tc.raw, got, tc.want)
		}
	}
}

func TestIDs(t *testing.T) {
	cases := []struct {
		raw  string
		want string
		ok   bool
	}{
		{`{"id":"abc"}`, "abc", true},
		{`{"id":12}`, "12", true},
		{`{"id":-1.5e3}`, "-1.5e3", true},
		{`{"id":""}`, "", false},
		{`{"id":null}`, "", false},
		{`{"id":true}`, "", false},
		{`{"id":{"x":1}}`, "", false},
		{`{"name":"x"}`, "", false},
		{`["id"]`, "", false},
		{``, "", false},
	}
	for _, tc := range cases {
		got, err := itemID([]byte(tc.raw))
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("%s: %q %v, want %q ok=%v", tc.raw, got, err, tc.want, tc.ok)
		}
	}
}

func TestShapeChecks(t *testing.T) {
	cases := []struct {
		raw                  string
		object, array, cntnt bool
	}{
		{`{}`, true, false, true},
		{` {"content":[]}`, true, false, true},
		{`{"content":null}`, true, false, false},
		{`{"content":{}}`, true, false, false},
		{`[]`, false, true, false},
		{`[1,`, false, false, false},
		{`{"a":`, false, false, false},
		{`null`, false, false, false},
		{`"x"`, false, false, false},
		{``, false, false, false},
	}
	for _, tc := range cases {
		b := []byte(tc.raw)
		if got := checkObject(b) == nil; got != tc.object {
			t.Errorf("checkObject(%s) = %v", tc.raw, got)
		}
		if got := checkArray(b) == nil; got != tc.array {
			t.Errorf("checkArray(%s) = %v", tc.raw, got)
		}
		if got := checkContentObject(b) == nil; got != tc.cntnt {
			t.Errorf("checkContentObject(%s) = %v", tc.raw, got)
		}
	}
}

// FuzzWire feeds arbitrary bytes to every parser of source bodies: none may
// panic, whatever they accept is usable, and a body assembled from accepted
// values is valid JSON holding them byte for byte.
func FuzzWire(f *testing.F) {
	for _, b := range fixtureBodies(f) {
		f.Add(b)
	}
	f.Add([]byte(`{"primaryAssignment":{"job":{"id":"j"}},"secondaryAssignments":[{"job":{"id":"j"}}]}`))
	f.Add([]byte(`{"id":1e400}`))
	f.Add([]byte("{\"id\":\"\xff\"}"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		if jobs, err := candidateJobs(raw); err == nil {
			seen := map[string]bool{}
			for _, j := range jobs {
				if j == "" || seen[j] {
					t.Fatalf("jobs %q", jobs)
				}
				seen[j] = true
			}
		} else if !errors.Is(err, extract.ErrMalformed) {
			t.Fatalf("candidateJobs: %v", err)
		}
		if id, err := itemID(raw); err == nil && id == "" {
			t.Fatal("empty id accepted")
		}
		idField(raw, assumedApplicationIDField)
		for _, check := range []func([]byte) error{checkObject, checkArray, checkContentObject} {
			if check(raw) != nil {
				continue
			}
			body := docBody(part{"_k\"ey", jsonString("v\xff\u2028")}, part{PathJob, raw})
			var m map[string]json.RawMessage
			if err := json.Unmarshal(body, &m); err != nil {
				t.Fatalf("assembled body is not JSON: %v\n%s", err, body)
			}
			if !bytes.Equal(m[PathJob], bytes.TrimSpace(raw)) {
				t.Fatalf("value changed:\n%q\n%q", m[PathJob], raw)
			}
		}
	})
}
