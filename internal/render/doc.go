// Package render owns what atslake shows people: query results as aligned
// text tables (numbers right-aligned), CSV or JSON (Read, Write), and the
// live progress display of running connections on a terminal (Display, built
// on github.com/vbauerster/mpb/v8), with the number and duration formats
// both use (Count, Elapsed).
package render
