package sqlbuild

import "fmt"

// varHot lists the hot query's packages, the fastest risers first: the
// rows of the overview's month grid.
func (b *builder) varHot() (Statement, error) {
	st, err := b.hot()
	if err != nil {
		return Statement{}, err
	}
	st.SQL = fmt.Sprintf("SELECT package AS %s\nFROM (\n    %s\n)", ColVarValue, indent(st.SQL, 4))
	return st, nil
}
