package transform

import "testing"

func TestBase58(t *testing.T) {
	for _, c := range []struct {
		in   []byte
		want string
	}{
		{[]byte("hello world"), "StV1DL6CwTryKyV"},
		{[]byte{0, 0, 1}, "112"},
		{[]byte{}, ""},
	} {
		if got := Base58(c.in); got != c.want {
			t.Errorf("Base58(%x) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestID(t *testing.T) {
	a := ID("acme", "jobs", "42")
	if len(a) != 24 || a != ID("acme", "jobs", "42") {
		t.Fatalf("id %q not stable or not 24 chars", a)
	}
	if a == ID("acme2", "jobs", "42") || a == ID("acme", "candidates", "42") || a == ID("acme", "jobs", "43") {
		t.Fatal("ids collide across connection, table or remote id")
	}
	// Separator matters: ("a","bc") and ("ab","c") differ.
	if ID("a", "bjobs", "x") == ID("ab", "jobs", "x") {
		t.Fatal("separator not applied")
	}
}

func TestIDGolden(t *testing.T) {
	// Computed independently (Python hashlib + base58).
	if got, want := ID("acme", "jobs", "42"), "EdeRbD2VMuMuLnNZxFzbtNRY"; got != want {
		t.Fatalf("ID = %q, want %q", got, want)
	}
}
