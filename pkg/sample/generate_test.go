package sample

import (
	"context"
	"errors"
	"maps"
	"runtime"
	"testing"
	"time"
)

func TestDeterminism(t *testing.T) {
	cfg := Config{Seed: 42, End: testEnd(), Size: SizeTest}
	a := generate(t, cfg)
	prev := runtime.GOMAXPROCS(1)
	b := generate(t, cfg)
	runtime.GOMAXPROCS(prev)
	if a.hash != b.hash || a.cells != b.cells || !maps.Equal(a.byPkg, b.byPkg) {
		t.Fatalf("same config differs across runs/scheduling: hash %x vs %x, cells %d vs %d", a.hash, b.hash, a.cells, b.cells)
	}
	// End given in another zone but on the same calendar date is the same data set.
	cfg.End = time.Date(2025, 6, 15, 23, 30, 0, 0, time.FixedZone("X", -8*3600))
	if c := generate(t, cfg); c.hash != a.hash {
		t.Fatalf("End's time of day changed the data")
	}
	other := generate(t, Config{Seed: 43, End: testEnd(), Size: SizeTest})
	if other.hash == a.hash || maps.Equal(other.byPkg, a.byPkg) {
		t.Fatalf("different seeds gave identical data")
	}
}

func TestSizes(t *testing.T) {
	sizes := []Size{SizeTest, SizeDemo}
	if !testing.Short() {
		sizes = append(sizes, SizeBench)
	}
	for _, sz := range sizes {
		t.Run(sz.String(), func(t *testing.T) {
			var rows int64
			start := time.Now()
			err := Cells(context.Background(), Config{Seed: 1, End: testEnd(), Size: sz}, func(b []Cell) error {
				if len(b) == 0 || len(b) > CellBatchSize {
					t.Errorf("batch of %d cells", len(b))
				}
				for _, c := range b {
					rows += int64(c.Count)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			target := sz.TargetRows()
			if rows < target*3/4 || rows > target*5/4 {
				t.Errorf("%s: %d rows, want %d ±25%%", sz, rows, target)
			}
			t.Logf("%s: %d rows in %v", sz, rows, time.Since(start))
		})
	}
}

func TestCellsStops(t *testing.T) {
	cfg := Config{Seed: 1, End: testEnd(), Size: SizeTest}
	stop := errors.New("stop")
	calls := 0
	err := Cells(context.Background(), cfg, func([]Cell) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Fatalf("callback error: got %v after %d calls", err, calls)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Cells(ctx, cfg, func([]Cell) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled context: got %v", err)
	}
	if err := Cells(context.Background(), Config{Size: SizeTest}, func([]Cell) error { return nil }); err == nil {
		t.Fatal("zero End accepted")
	}
}

func TestParseSize(t *testing.T) {
	for _, s := range []string{"test", "Demo", " bench "} {
		if _, err := ParseSize(s); err != nil {
			t.Errorf("ParseSize(%q): %v", s, err)
		}
	}
	if _, err := ParseSize("huge"); err == nil {
		t.Error("ParseSize accepted huge")
	}
	var sz Size
	if err := sz.Set("demo"); err != nil || sz != SizeDemo || sz.Days() != DemoDays {
		t.Errorf("Set(demo) = %v, %v", sz, err)
	}
}

func BenchmarkGenerateDemo(b *testing.B) {
	cfg := Config{Seed: 1, End: testEnd(), Size: SizeDemo}
	var rows int64
	for b.Loop() {
		err := Cells(context.Background(), cfg, func(batch []Cell) error {
			for i := range batch {
				rows += int64(batch[i].Count)
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}
