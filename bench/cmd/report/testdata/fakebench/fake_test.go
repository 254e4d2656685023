// Package fakebench holds benchmarks with known output for the report command's tests.
package fakebench

import (
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"
)

// BenchmarkSpeed reports a fixed rate per implementation, times FAKEBENCH_FACTOR.
func BenchmarkSpeed(b *testing.B) {
	factor := 1.0
	if v := os.Getenv("FAKEBENCH_FACTOR"); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			b.Fatal(err)
		}
		factor = f
	}
	for _, c := range []struct {
		impl string
		rate float64
	}{{"skiff", 3000}, {"client-go", 1000}} {
		b.Run("impl="+c.impl, func(b *testing.B) {
			for b.Loop() {
			}
			b.ReportMetric(c.rate*factor, "widgets/s")
			b.Logf("a log line that is not a result")
		})
	}
}

// BenchmarkChatty writes to standard output while it runs.
func BenchmarkChatty(b *testing.B) {
	for b.Loop() {
	}
	fmt.Println("chatter from the benchmark")
	b.ReportMetric(7, "things/op")
}

// BenchmarkFail fails.
func BenchmarkFail(b *testing.B) {
	b.Fatal("broken on purpose")
}

// BenchmarkHang never ends on its own.
func BenchmarkHang(b *testing.B) {
	time.Sleep(time.Hour)
}
