package main

import "context"

// cmdBench is replaced by bench.go once the performance report lands
// (delete this file then).
func cmdBench(ctx context.Context, e env, args []string) error {
	return usagef("not available yet")
}
