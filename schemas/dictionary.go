package schemas

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteDictionary writes the data dictionary of the given tables (all when none) as text.
func WriteDictionary(w io.Writer, tables ...*Table) error {
	if len(tables) == 0 {
		tables = all
	}
	for i, t := range tables {
		if i > 0 {
			fmt.Fprintln(w)
		}
		filled := map[string]string{"S": "SmartRecruiters", "P": "Phenom", "SP": "SmartRecruiters, Phenom"}[t.Sources]
		fmt.Fprintf(w, "%s: %s (filled by %s)\n", t.Name, t.Doc, filled)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  column\ttype\tnull\tmeaning")
		for _, c := range t.Columns {
			null := "yes"
			if !c.Nullable {
				null = "no"
			}
			doc := c.Doc
			switch c.Kind {
			case ClosedEnum:
				doc += " [closed enum: " + strings.Join(c.Enum, ", ") + "]"
			case OpenEnum:
				doc += " [open enum: " + strings.Join(c.Enum, ", ") + "]"
			case Relation:
				doc += " [-> " + c.Ref + ".id]"
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", c.Name, TypeName(c), null, doc)
		}
		fmt.Fprintln(tw, "  connection\tVARCHAR\tno\tConnection id from the config (Hive partition folder, not stored in the files).")
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return nil
}
