package sample

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sort"
	"sync"
	"time"
)

// Cell is a distinct raw pypi row of one day together with how many
// identical downloads it stands for. Expanding every cell Count times
// gives the raw table.
type Cell struct {
	Date        time.Time // UTC midnight
	CountryCode string
	Project     string
	Type        string
	Installer   string
	PythonMinor string
	System      string
	Version     string
	Count       uint32
}

// CellBatchSize is the most cells Cells passes to its callback at once.
const CellBatchSize = 65536

// Volume model constants.
const (
	// noiseSigma is the log-normal day-to-day noise of a package's volume.
	noiseSigma = 0.15
	// liveVersions is how many recent releases share a day's downloads;
	// versionDecay is the share ratio between consecutive releases.
	liveVersions = 12
	versionDecay = 0.6
	// newReleaseRampDays is how long a new release takes to get its full
	// share, so downloads shift to it gradually after upload.
	newReleaseRampDays = 4
	maxWorkers         = 8
)

// Cells generates the raw download data of cfg as cells, calling fn with
// batches in a fixed order (by day, then popularity rank, then dimension
// values). fn must not keep the batch after it returns: the slice is
// reused. Generation is spread over GOMAXPROCS workers, but the sequence
// of cells is the same whatever the scheduling; at most a few days are
// held in memory at a time.
func Cells(ctx context.Context, cfg Config, fn func(batch []Cell) error) error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	g := newGenerator(cfg)
	return g.run(ctx, fn)
}

type generator struct {
	seed       uint64
	start, end int
	pkgs       []pkg
	scale      float64
	plan       *plan

	countries    alias
	countryCodes []string
	python       []share
	pythonNames  []string
	installer    []share
	installers   []string
	systems      alias
	systemNames  []string
	types        alias
	typeNames    []string
	versionW     [liveVersions]float64
}

func newGenerator(cfg Config) *generator {
	end := dayNumber(cfg.End)
	g := &generator{
		seed:      cfg.Seed,
		start:     dayNumber(cfg.Start()),
		end:       end,
		pkgs:      buildCatalog(cfg.Seed, end),
		python:    pythonShares(),
		installer: installerShares(),
	}
	g.plan = planEvents(cfg, g.pkgs)
	g.pythonNames = shareValues(g.python)
	g.installers = shareValues(g.installer)
	sys, typ := systemShares(), fileTypeShares()
	g.systemNames, g.typeNames = shareValues(sys), shareValues(typ)
	g.systems, g.types = newAlias(shareWeights(sys, 1)), newAlias(shareWeights(typ, 1))

	traffic := countryTraffic()
	var cw []float64
	for _, c := range Countries() {
		g.countryCodes = append(g.countryCodes, c.Code)
		cw = append(cw, countryFloor+traffic[c.Code])
	}
	g.countries = newAlias(cw)
	for j := range g.versionW {
		g.versionW[j] = math.Pow(versionDecay, float64(j))
	}

	// Scale so the expected total is the profile's target; noise has mean
	// one and rounding is unbiased, so the real total lands close to it.
	var sum float64
	for d := g.start; d <= g.end; d++ {
		var day float64
		for i := range g.pkgs {
			day += g.level(i, d)
		}
		sum += day * weeklyFactor(d)
	}
	g.scale = float64(cfg.Size.TargetRows()) / sum
	return g
}

// level is package i's expected downloads on day d before scale, weekly
// seasonality and noise, with the planted events applied.
func (g *generator) level(i, d int) float64 {
	p := &g.pkgs[i]
	return p.level(d, g.end) * g.plan.factor(i, p, d)
}

// progress is how far d is through the dimension trend window, 0..1.
func progress(d, end int) float64 {
	return min(1, max(0, 1-float64(end-d)/trendDays))
}

type worker struct {
	pcg      *rand.PCG
	r        *rand.Rand
	keys     []uint32
	profiles []uint32
	cum      []float64
}

func newWorker() *worker {
	pcg := rand.NewPCG(0, 0)
	return &worker{pcg: pcg, r: rand.New(pcg), cum: make([]float64, 0, liveVersions)}
}

// Row keys pack a cell's dimension indexes so a day's rows of one package
// aggregate with a sort instead of a map.
const (
	keyPython    = 8
	keyInstaller = 12
	keySystem    = 16
	keyType      = 18
	keyVersion   = 20
)

// rawCell is a cell in index form. Workers produce these pointer-free
// records so days in flight cost the garbage collector nothing; the
// consumer turns them into Cells while filling the caller's batch.
type rawCell struct {
	pkg     uint16
	release uint16
	key     uint32
	count   uint32
}

// day generates all cells of day d in package rank order, appending to
// cells.
func (g *generator) day(d int, w *worker, cells []rawCell) []rawCell {
	u := progress(d, g.end)
	python := newAlias(shareWeights(g.python, u))
	installer := newAlias(shareWeights(g.installer, u))
	week := weeklyFactor(d)
	if g.plan.stalled(d) {
		return cells
	}
	for i := range g.pkgs {
		p := &g.pkgs[i]
		lvl := g.level(i, d)
		if lvl == 0 {
			continue
		}
		w.pcg.Seed(seedPair(g.seed, p.hash, saltDay<<40|uint64(d)))
		lambda := g.scale * lvl * week * math.Exp(noiseSigma*w.r.NormFloat64()-noiseSigma*noiseSigma/2)
		n := int(lambda)
		if w.r.Float64() < lambda-float64(n) {
			n++
		}
		if n == 0 && d == g.plan.firstVisible(p, g.start) {
			// Every package is seen on its first possible day, so first-seen
			// dates are exact truths rather than likely ones.
			n = 1
		}
		if n == 0 {
			continue
		}

		released := sort.Search(len(p.releases), func(k int) bool { return p.releases[k].day > d })
		live := min(released, liveVersions)
		cum := w.cum[:0]
		var total float64
		for j := 0; j < live; j++ {
			wt := g.versionW[j]
			if j == 0 {
				age := d - p.releases[released-1].day
				wt *= min(1, float64(age+1)/newReleaseRampDays)
			}
			total += wt
			cum = append(cum, total)
		}

		// Real downloads of one package on one day cluster on a few
		// profiles (the same CI image pulling the same wheel), so a day's
		// downloads draw a skewed choice among about sqrt(n) profiles
		// rather than each its own. Profiles are drawn from the marginal
		// shares, so shares hold in expectation; the summary tables then
		// compress against the raw table as they do in production.
		profiles := w.profiles[:0]
		for range profilesFor(n) {
			c := g.countries.pick(w.pcg.Uint64())
			a, b := w.pcg.Uint64(), w.pcg.Uint64()
			py := python.pick32(uint32(a >> 32))
			in := installer.pick32(uint32(a))
			sy := g.systems.pick32(uint32(b >> 32))
			ty := g.types.pick32(uint32(b))
			x := float64(w.pcg.Uint64()>>11) * 0x1p-53 * total
			v := 0
			for v < live-1 && x >= cum[v] {
				v++
			}
			profiles = append(profiles, uint32(c)|uint32(py)<<keyPython|uint32(in)<<keyInstaller|
				uint32(sy)<<keySystem|uint32(ty)<<keyType|uint32(v)<<keyVersion)
		}
		w.profiles = profiles
		keys := w.keys[:0]
		for range n {
			// Squaring a uniform draw favours the first profiles.
			u := float64(w.pcg.Uint64()>>11) * 0x1p-53
			keys = append(keys, profiles[int(u*u*float64(len(profiles)))])
		}
		slices.Sort(keys)
		for k := 0; k < len(keys); {
			key := keys[k]
			run := k + 1
			for run < len(keys) && keys[run] == key {
				run++
			}
			cells = append(cells, rawCell{
				pkg:     uint16(i),
				release: uint16(released - 1 - int(key>>keyVersion&0xff)),
				key:     key,
				count:   uint32(run - k),
			})
			k = run
		}
		w.keys = keys
	}
	return cells
}

func (g *generator) cell(date time.Time, rc rawCell) Cell {
	p := &g.pkgs[rc.pkg]
	k := rc.key
	return Cell{
		Date:        date,
		CountryCode: g.countryCodes[k&0xff],
		Project:     p.name,
		Type:        g.typeNames[k>>keyType&0x3],
		Installer:   g.installers[k>>keyInstaller&0xf],
		PythonMinor: g.pythonNames[k>>keyPython&0xf],
		System:      g.systemNames[k>>keySystem&0x3],
		Version:     p.releases[rc.release].version,
		Count:       rc.count,
	}
}

// run generates days concurrently and hands cells to fn strictly in day
// order. The queue of pending days bounds memory to a few days of cells,
// and their buffers are recycled.
func (g *generator) run(ctx context.Context, fn func([]Cell) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := min(max(1, runtime.GOMAXPROCS(0)), maxWorkers)

	type job struct {
		d   int
		out chan []rawCell
	}
	jobs := make(chan job)
	order := make(chan chan []rawCell, 2*workers)
	free := make(chan []rawCell, 3*workers)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(order)
		defer close(jobs)
		for d := g.start; d <= g.end; d++ {
			out := make(chan []rawCell, 1)
			select {
			case order <- out:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- job{d, out}:
			case <-ctx.Done():
				return
			}
		}
	}()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := newWorker()
			for j := range jobs {
				var buf []rawCell
				select {
				case buf = <-free:
				default:
				}
				j.out <- g.day(j.d, w, buf[:0])
			}
		}()
	}

	err := g.emit(ctx, order, free, fn)
	cancel()
	wg.Wait()
	return err
}

func (g *generator) emit(ctx context.Context, order <-chan chan []rawCell, free chan<- []rawCell, fn func([]Cell) error) error {
	batch := make([]Cell, 0, CellBatchSize)
	d := g.start
	for out := range order {
		var cells []rawCell
		select {
		case cells = <-out:
		case <-ctx.Done():
			return fmt.Errorf("generating sample cells: %w", ctx.Err())
		}
		date := dayDate(d)
		d++
		for _, rc := range cells {
			batch = append(batch, g.cell(date, rc))
			if len(batch) == CellBatchSize {
				if err := fn(batch); err != nil {
					return err
				}
				batch = batch[:0]
			}
		}
		select {
		case free <- cells:
		default:
		}
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("generating sample cells: %w", err)
	}
	if len(batch) > 0 {
		return fn(batch)
	}
	return nil
}

// profileFactor scales how many distinct profiles a package-day's
// downloads share: about profileFactor * sqrt(n), never more than n.
const profileFactor = 1.5

func profilesFor(n int) int {
	return min(n, max(1, int(math.Ceil(profileFactor*math.Sqrt(float64(n))))))
}
