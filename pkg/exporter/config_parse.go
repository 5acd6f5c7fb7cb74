package exporter

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/prometheus/common/model"
	"go.yaml.in/yaml/v3"
)

// ParseConfig reads the YAML config. It walks the YAML nodes itself rather
// than unmarshalling into a struct so that every error, type errors
// included, names the field and its line.
func ParseConfig(data []byte) (Config, error) {
	c := DefaultConfig()
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return c, fmt.Errorf("not valid YAML: %w", err)
	}
	p := parser{lines: map[string]int{}}
	if len(doc.Content) == 0 {
		return c, c.Validate()
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return c, fieldErr("config", root.Line, "want a mapping of settings, got %s", kindName(root))
	}
	// An explicit packages list means the default top 10 no longer applies
	// unless asked for.
	topSet := false
	err := p.mapping("", root, func(key string, v *yaml.Node) error {
		switch key {
		case "database":
			return p.str(key, v, &c.Database)
		case "packages":
			c.Packages = nil
			return p.strList(key, v, &c.Packages)
		case "topPackages":
			topSet = true
			return p.integer(key, v, &c.TopPackages)
		case "breakdowns":
			return p.breakdowns(key, v, &c.Breakdowns)
		case "minRefreshInterval":
			return p.duration(key, v, &c.MinRefreshInterval)
		case "queryTimeout":
			return p.duration(key, v, &c.QueryTimeout)
		case "excludeMirrors":
			return p.boolean(key, v, &c.ExcludeMirrors)
		}
		return fieldErr(key, v.Line, "unknown setting (want database, packages, topPackages, breakdowns, "+
			"minRefreshInterval, queryTimeout or excludeMirrors)")
	})
	if err != nil {
		return c, err
	}
	if !topSet && len(c.Packages) > 0 {
		c.TopPackages = 0
	}
	if err := c.Validate(); err != nil {
		return c, p.withLine(err)
	}
	return c, nil
}

// parser remembers where each field was so that errors found after
// parsing (in Validate) still point at a line.
type parser struct {
	lines map[string]int
}

func (p *parser) withLine(err error) error {
	var fe *FieldError
	if errors.As(err, &fe) && fe.Line == 0 {
		fe.Line = p.lines[fe.Field]
	}
	return err
}

func (p *parser) seen(field string, n *yaml.Node) { p.lines[field] = n.Line }

func (p *parser) mapping(prefix string, n *yaml.Node, each func(key string, v *yaml.Node) error) error {
	keys := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return fieldErr(strings.TrimSuffix(prefix, "."), k.Line, "keys must be plain names")
		}
		field := prefix + k.Value
		if keys[k.Value] {
			return fieldErr(field, k.Line, "set twice")
		}
		keys[k.Value] = true
		p.seen(field, k)
		if err := each(k.Value, v); err != nil {
			return err
		}
	}
	return nil
}

func (p *parser) scalar(field string, n *yaml.Node, want string) error {
	if n.Kind != yaml.ScalarNode {
		return fieldErr(field, n.Line, "want %s, got %s", want, kindName(n))
	}
	return nil
}

func (p *parser) str(field string, n *yaml.Node, out *string) error {
	if err := p.scalar(field, n, "a string"); err != nil {
		return err
	}
	if n.Tag == "!!null" {
		return fieldErr(field, n.Line, "want a string, got null")
	}
	*out = n.Value
	return nil
}

func (p *parser) strList(field string, n *yaml.Node, out *[]string) error {
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		return fieldErr(field, n.Line, "want a list of strings, got %s", kindName(n))
	}
	for i, item := range n.Content {
		f := fmt.Sprintf("%s[%d]", field, i)
		p.seen(f, item)
		var s string
		if err := p.str(f, item, &s); err != nil {
			return err
		}
		*out = append(*out, s)
	}
	return nil
}

func (p *parser) integer(field string, n *yaml.Node, out *int) error {
	if err := p.scalar(field, n, "an integer"); err != nil {
		return err
	}
	if n.Tag != "!!int" || n.Decode(out) != nil {
		return fieldErr(field, n.Line, "want an integer, got %q", n.Value)
	}
	return nil
}

func (p *parser) boolean(field string, n *yaml.Node, out *bool) error {
	if err := p.scalar(field, n, "true or false"); err != nil {
		return err
	}
	if n.Tag != "!!bool" || n.Decode(out) != nil {
		return fieldErr(field, n.Line, "want true or false, got %q", n.Value)
	}
	return nil
}

// duration takes Prometheus' duration syntax (30s, 5m, 1h30m, 1d).
func (p *parser) duration(field string, n *yaml.Node, out *time.Duration) error {
	if err := p.scalar(field, n, "a duration"); err != nil {
		return err
	}
	d, err := model.ParseDuration(n.Value)
	if err != nil {
		return fieldErr(field, n.Line, "want a duration such as 30s or 5m, got %q", n.Value)
	}
	*out = time.Duration(d)
	return nil
}

// breakdowns is a mapping from dimension to {top, other}; an empty value
// (`version:` or `version: {}`) takes the defaults.
func (p *parser) breakdowns(field string, n *yaml.Node, out *[]Breakdown) error {
	if isNull(n) {
		*out = nil
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return fieldErr(field, n.Line, "want a mapping from dimension (%s) to {top, other}, got %s", dimensionList(), kindName(n))
	}
	var got []Breakdown
	err := p.mapping(field+".", n, func(key string, v *yaml.Node) error {
		f := field + "." + key
		d := Dimension(key)
		if !validDimension(d) {
			return fieldErr(f, v.Line, "unknown dimension (want one of %s)", dimensionList())
		}
		b := Breakdown{Dimension: d, Top: DefaultBreakdownTop, Other: DefaultOther}
		if isNull(v) {
			got = append(got, b)
			return nil
		}
		if v.Kind != yaml.MappingNode {
			return fieldErr(f, v.Line, "want a mapping with top and other, got %s", kindName(v))
		}
		if err := p.mapping(f+".", v, func(k string, x *yaml.Node) error {
			switch k {
			case "top":
				return p.integer(f+".top", x, &b.Top)
			case "other":
				return p.str(f+".other", x, &b.Other)
			}
			return fieldErr(f+"."+k, x.Line, "unknown setting (want top or other)")
		}); err != nil {
			return err
		}
		got = append(got, b)
		return nil
	})
	if err != nil {
		return err
	}
	slices.SortFunc(got, func(a, b Breakdown) int {
		return slices.Index(Dimensions(), a.Dimension) - slices.Index(Dimensions(), b.Dimension)
	})
	*out = got
	return nil
}

// isNull is an empty value (`key:` with nothing after it).
func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "null"
		}
		return fmt.Sprintf("%q", n.Value)
	}
	return "nothing"
}
