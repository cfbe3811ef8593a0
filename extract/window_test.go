package extract

import (
	"context"
	"testing"
	"time"
)

// TestSlidingWindowAllowance: once the margin is at its widest, each 429
// lowers the starts allowed per window (down to one), and 2n calm starts
// raise it again.
func TestSlidingWindowAllowance(t *testing.T) {
	w := newSlidingWindow(4, 200*time.Millisecond, 10*time.Millisecond)
	if m := w.widen(); m != 20*time.Millisecond { // a tenth of the window: the widest margin
		t.Fatalf("margin %v", m)
	}
	if got := w.allowance(); got != 4 {
		t.Fatalf("allowance %d before the margin is at its widest", got)
	}
	for i, want := range []int{3, 2, 1, 1} {
		if m := w.widen(); w.allowance() != want || m != 20*time.Millisecond {
			t.Fatalf("after 429 #%d: allowance %d, want %d (margin %v)", i+2, w.allowance(), want, m)
		}
	}
	// With one start allowed per window, the second start waits a window.
	ctx := context.Background()
	start := time.Now()
	for range 2 {
		if err := w.wait(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if d := time.Since(start); d < 200*time.Millisecond {
		t.Errorf("two starts within %v with one allowed per 220ms", d)
	}
	// Calm starts raise the allowance again.
	w2 := newSlidingWindow(3, time.Millisecond, 0)
	for range 10 {
		w2.widen()
	}
	if w2.allowance() != 1 {
		t.Fatalf("allowance %d", w2.allowance())
	}
	for range 2 * 3 * 2 {
		if err := w2.wait(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if got := w2.allowance(); got != 3 {
		t.Errorf("allowance %d after 12 calm starts, want 3", got)
	}
}

// TestSlidingWindowAllowanceBursts: with k starts allowed, a burst of starts
// never puts more than k into one window.
func TestSlidingWindowAllowanceBursts(t *testing.T) {
	const per = 150 * time.Millisecond
	w := newSlidingWindow(10, per, 0)
	for range 3 + 4 { // the margin grows 5 ms at a time to 15 ms, then the allowance goes 10 -> 6
		w.widen()
	}
	if w.allowance() != 6 {
		t.Fatalf("allowance %d", w.allowance())
	}
	var starts []time.Time
	for range 13 {
		if err := w.wait(context.Background()); err != nil {
			t.Fatal(err)
		}
		starts = append(starts, time.Now())
	}
	for i := range starts {
		n := 0
		for _, s := range starts[i:] {
			if s.Sub(starts[i]) < per {
				n++
			}
		}
		if n > 6 {
			t.Fatalf("%d starts within %v of start %d", n, per, i)
		}
	}
}
