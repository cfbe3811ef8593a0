package transform

import (
	"bytes"
	"encoding/json"
	"testing"
)

// encoderString is the reference: encoding/json with SetEscapeHTML(false).
func encoderString(t testing.TB, s string) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		t.Fatal(err)
	}
	return string(bytes.TrimSuffix(buf.Bytes(), []byte{'\n'}))
}

func TestAppendJSONString(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", `""`},
		{"plain", `"plain"`},
		{`<b>&"x"\`, `"<b>&\"x\"\\"`},
		{"a\nb\tc\rd\be\ff\x00\x1f", `"a\nb\tc\rd\be\ff\u0000\u001f"`},
		{"é日本😀", `"é日本😀"`},
		{"\u2028\u2029", `"\u2028\u2029"`},
		{"bad\xffutf8", `"bad\ufffdutf8"`},
	} {
		got := string(AppendJSONString(nil, c.in))
		if got != c.want {
			t.Errorf("AppendJSONString(%q) = %s, want %s", c.in, got, c.want)
		}
		if ref := encoderString(t, c.in); got != ref {
			t.Errorf("AppendJSONString(%q) = %s, encoding/json gives %s", c.in, got, ref)
		}
	}
}

func TestAppendCompactJSON(t *testing.T) {
	for _, in := range []string{
		`{}`,
		` { "a" : [ 1 , 2 ,{"b" : " x y "} ] ,` + "\n\t" + `"c":"q\" : \\" , "d" : null } `,
		`"<tag> & \u003c"`,
		`[ ]`,
		`12.5e3`,
	} {
		got := AppendCompactJSON(nil, []byte(in))
		var ref bytes.Buffer
		if err := json.Compact(&ref, []byte(in)); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, ref.Bytes()) {
			t.Errorf("AppendCompactJSON(%s) = %s, json.Compact gives %s", in, got, ref.Bytes())
		}
	}
}

func TestObject(t *testing.T) {
	var o Object
	o.String("b", "<x>")
	o.Raw("a", []byte(` { "z" : 1, "y" : [ true ] } `))
	o.Null("c")
	o.Bool("e", true)
	o.Int("d", -3)
	o.StringArray("f", []string{"p", "q"})
	o.String("b", "second value is ignored")
	o.StringArray("g", nil)
	o.RawIfPresent("h", []byte("null"))
	o.RawIfPresent("i", nil)
	o.Raw("Ä", nil)
	got := string(o.AppendTo(nil))
	want := `{"a":{"z":1,"y":[true]},"b":"<x>","c":null,"d":-3,"e":true,"f":["p","q"],"g":[],"Ä":null}`
	if got != want {
		t.Fatalf("Object = %s\nwant     %s", got, want)
	}
	if !json.Valid([]byte(got)) {
		t.Fatal("not valid JSON")
	}
	o.Reset()
	if got := string(o.AppendTo(nil)); got != "{}" || o.Len() != 0 {
		t.Fatalf("after Reset: %s", got)
	}
}

func TestObjectMatchesEncoder(t *testing.T) {
	m := map[string]any{"zeta": "a<b", "alpha": []string{"x", "&"}, "mid": nil, "Upper": true}
	ref, err := MarshalJSON(m)
	if err != nil {
		t.Fatal(err)
	}
	var o Object
	o.String("zeta", "a<b")
	o.StringArray("alpha", []string{"x", "&"})
	o.Null("mid")
	o.Bool("Upper", true)
	if got := o.AppendTo(nil); !bytes.Equal(got, ref) {
		t.Fatalf("Object %s != encoder %s", got, ref)
	}
}

func TestJSONHelpers(t *testing.T) {
	for _, c := range []struct {
		in   string
		null bool
		str  string
		isS  bool
		f    float64
		isF  bool
	}{
		{"", true, "", false, 0, false},
		{" null ", true, "", false, 0, false},
		{`"abc"`, false, "abc", true, 0, false},
		{`"a\"b"`, false, `a"b`, true, 0, false},
		{`"12.5"`, false, "12.5", true, 12.5, true},
		{`42`, false, "", false, 42, true},
		{`-1e3`, false, "", false, -1000, true},
		{`{}`, false, "", false, 0, false},
	} {
		if got := IsNullJSON([]byte(c.in)); got != c.null {
			t.Errorf("IsNullJSON(%s) = %v", c.in, got)
		}
		if s, ok := JSONStringValue([]byte(c.in)); s != c.str || ok != c.isS {
			t.Errorf("JSONStringValue(%s) = %q,%v", c.in, s, ok)
		}
		if f, ok := ParseFloatJSON([]byte(c.in)); f != c.f || ok != c.isF {
			t.Errorf("ParseFloatJSON(%s) = %v,%v", c.in, f, ok)
		}
	}
}

func TestMarshalJSONNoHTMLEscape(t *testing.T) {
	got, err := MarshalJSON(map[string]string{"b": "<&>", "a": "x"})
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != `{"a":"x","b":"<&>"}` {
		t.Fatalf("MarshalJSON = %s", got)
	}
}

func TestAppendRemoteData(t *testing.T) {
	for _, c := range []struct {
		name  string
		parts []RemotePart
		want  string
		ok    bool
	}{
		{"none", nil, "", false},
		{"all absent", []RemotePart{{"/a", nil}, {"/b", []byte(" null ")}}, "", false},
		{"sorted and compacted", []RemotePart{
			{"/jobs/{jobId}", []byte(`{ "b" : "<x>" , "a" : 1 }`)},
			{"/jobs", []byte(`{"id":"1"}`)},
			{"/jobs/{jobId}/jobads", nil},
		}, `{"/jobs":{"id":"1"},"/jobs/{jobId}":{"b":"<x>","a":1}}`, true},
		{"first of a repeated path", []RemotePart{{"/x", []byte("1")}, {"/x", []byte("2")}}, `{"/x":1}`, true},
		{"many", []RemotePart{{"/f", []byte("6")}, {"/e", []byte("5")}, {"/d", []byte("4")}, {"/c", []byte("3")},
			{"/b", []byte("2")}, {"/a", []byte("1")}, {"/h", []byte("8")}, {"/g", []byte("7")}, {"/i", []byte("9")}},
			`{"/a":1,"/b":2,"/c":3,"/d":4,"/e":5,"/f":6,"/g":7,"/h":8,"/i":9}`, true},
	} {
		got, ok := AppendRemoteData([]byte("pre"), c.parts...)
		if ok != c.ok || string(got) != "pre"+c.want {
			t.Errorf("%s: AppendRemoteData = %s,%v want pre%s,%v", c.name, got, ok, c.want, c.ok)
		}
	}
}
