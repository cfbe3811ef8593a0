package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/atslake/atslake/internal/bench"
)

// childFlag is the hidden first argument of `atslake bench` that runs one of
// the benchmark's child modes (the binary re-executed by bench.Run, so each
// scale's peak RSS is measured in a process of its own).
const childFlag = "--child"

func cmdBench(ctx context.Context, e env, args []string) error {
	if len(args) > 0 && args[0] == childFlag {
		return bench.Child(ctx, args[1:], e.stdout)
	}
	fs := newFlags(e, "bench")
	scale := fs.Int("scale", 20000, "sandbox scale N (candidates) of the main figures")
	memScales := fs.String("mem-scales", "", "the two scales of the peak RSS comparison, e.g. 20000,200000 (default: scale/10,scale)")
	limited := fs.Int("limited-scale", 30, "scale of the SmartRecruiters sync at its documented 10 requests/s (0 skips it)")
	format := fs.String("format", "text", "output format: text or json")
	dir := fs.String("dir", "", "folder for the lakes and dumps (default: a temporary folder, removed afterwards)")
	keep := fs.Bool("keep", false, "keep the lakes and dumps")
	quiet := fs.Bool("quiet", false, "no progress lines on standard error")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *format != "text" && *format != "json" {
		return usagef("unknown --format %q (text or json)", *format)
	}
	if *scale < 5 {
		return usagef("--scale must be at least 5")
	}
	var mem [2]int
	if *memScales != "" {
		a, b, ok := strings.Cut(*memScales, ",")
		var err1, err2 error
		mem[0], err1 = strconv.Atoi(strings.TrimSpace(a))
		mem[1], err2 = strconv.Atoi(strings.TrimSpace(b))
		if !ok || err1 != nil || err2 != nil || mem[0] < 5 || mem[1] < mem[0] {
			return usagef("--mem-scales wants two scales A,B with 5 <= A <= B, got %q", *memScales)
		}
	}
	if *limited < 0 {
		return usagef("--limited-scale must not be negative")
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("bench: own executable: %w", err)
	}
	o := bench.Options{Scale: *scale, MemScales: mem, LimitedScale: *limited, Dir: *dir, Keep: *keep,
		Exe: exe, ExeArgs: []string{"bench", childFlag}}
	if !*quiet {
		o.Log = e.stderr
	}
	rep, err := bench.Run(ctx, o)
	if err != nil {
		return err
	}
	if *format == "json" {
		return rep.WriteJSON(e.stdout)
	}
	return rep.WriteText(e.stdout)
}
