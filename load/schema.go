package load

import (
	"fmt"
	"reflect"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"
	"github.com/parquet-go/parquet-go/encoding"

	"github.com/atslake/atslake/schemas"
)

// orderedGroup is a parquet group whose fields keep the order they were
// declared in (parquet.Group sorts them by name), so a file's columns come
// in the order of the Arrow schema.
type orderedGroup struct {
	parquet.Group // for Type, GoType and the like
	fields        []parquet.Field
}

func newOrderedGroup(names []string, nodes []parquet.Node) *orderedGroup {
	g := &orderedGroup{Group: make(parquet.Group, len(names)), fields: make([]parquet.Field, len(names))}
	for i, n := range names {
		g.Group[n] = nodes[i]
		g.fields[i] = &namedField{Node: nodes[i], name: n}
	}
	return g
}

func (g *orderedGroup) Fields() []parquet.Field     { return g.fields }
func (g *orderedGroup) String() string              { return g.Group.String() }
func (g *orderedGroup) Encoding() encoding.Encoding { return nil }
func (g *orderedGroup) Compression() compress.Codec { return nil }
func (g *orderedGroup) GoType() reflect.Type        { return g.Group.GoType() }
func (g *orderedGroup) Leaf() bool                  { return false }
func (g *orderedGroup) ID() int                     { return 0 }
func (g *orderedGroup) Optional() bool              { return false }
func (g *orderedGroup) Repeated() bool              { return false }
func (g *orderedGroup) Required() bool              { return true }
func (g *orderedGroup) Type() parquet.Type          { return g.Group.Type() }

type namedField struct {
	parquet.Node
	name string
}

func (f *namedField) Name() string { return f.name }

// Value is only used by parquet-go's reflection paths, which atslake does not use.
func (f *namedField) Value(reflect.Value) reflect.Value { return reflect.Value{} }

// nodeKind is the shape of one node of a shredding plan.
type nodeKind uint8

const (
	kString nodeKind = iota
	kInt64
	kTimestamp
	kDouble
	kBool
	kStruct
	kList
)

// pnode is one node of a table's shredding plan: an Arrow field and its
// place in the Parquet schema.
type pnode struct {
	name      string
	kind      nodeKind
	optional  bool
	json      bool
	typ       arrow.DataType
	children  []*pnode // struct fields; the element of a list
	leaf      int      // leaf column index (leaves only)
	firstLeaf int      // first and last+1 leaf column index under this node
	endLeaf   int
	repLevel  int // repetition level of values below a list (lists only)
	maxDef    int // definition level of a present value of this node
	idx       int // position of the node in plan.nodes
}

// plan is the Parquet shape of one Arrow schema: the Parquet schema plus,
// per leaf column, the path of nodes from the top-level column down to it.
type plan struct {
	arrow  *arrow.Schema
	schema *parquet.Schema
	top    []*pnode   // top-level columns
	nodes  []*pnode   // every node, depth first
	paths  [][]*pnode // per leaf column: the path from the top-level node to the leaf
	leaves int
}

// newPlan derives the Parquet schema and shredding plan of an Arrow schema.
// extra top-level fields (e.g. _valid_from) may be appended by the caller
// through the Arrow schema itself.
func newPlan(name string, s *arrow.Schema) (*plan, error) {
	p := &plan{arrow: s}
	names := make([]string, s.NumFields())
	nodes := make([]parquet.Node, s.NumFields())
	for i, f := range s.Fields() {
		n, pn, err := p.build(f, 0, 0)
		if err != nil {
			return nil, fmt.Errorf("column %s: %w", f.Name, err)
		}
		names[i], nodes[i] = f.Name, n
		p.top = append(p.top, pn)
	}
	p.schema = parquet.NewSchema(name, newOrderedGroup(names, nodes))
	p.paths = make([][]*pnode, p.leaves)
	for _, t := range p.top {
		p.collect(t, nil)
	}
	if got := len(p.schema.Columns()); got != p.leaves {
		return nil, fmt.Errorf("parquet schema has %d leaf columns, plan %d", got, p.leaves)
	}
	return p, nil
}

func (p *plan) collect(n *pnode, path []*pnode) {
	path = append(path[:len(path):len(path)], n)
	if n.kind != kStruct && n.kind != kList {
		p.paths[n.leaf] = path
		return
	}
	for _, c := range n.children {
		p.collect(c, path)
	}
}

// build converts one Arrow field; rep and def are the levels of its parent.
func (p *plan) build(f arrow.Field, rep, def int) (parquet.Node, *pnode, error) {
	pn := &pnode{name: f.Name, optional: f.Nullable, json: schemas.IsJSONField(f), typ: f.Type, idx: len(p.nodes)}
	p.nodes = append(p.nodes, pn)
	if pn.optional {
		def++
	}
	pn.maxDef = def
	pn.firstLeaf = p.leaves
	var node parquet.Node
	switch t := f.Type.(type) {
	case *arrow.StringType:
		pn.kind = kString
		if pn.json {
			node = parquet.JSON()
		} else {
			node = parquet.String()
		}
	case *arrow.Int64Type:
		pn.kind, node = kInt64, parquet.Int(64)
	case *arrow.Float64Type:
		pn.kind, node = kDouble, parquet.Leaf(parquet.DoubleType)
	case *arrow.BooleanType:
		pn.kind, node = kBool, parquet.Leaf(parquet.BooleanType)
	case *arrow.TimestampType:
		if t.Unit != arrow.Microsecond {
			return nil, nil, fmt.Errorf("timestamp unit %s, want microseconds", t.Unit)
		}
		pn.kind, node = kTimestamp, parquet.TimestampAdjusted(parquet.Microsecond, true)
	case *arrow.StructType:
		pn.kind = kStruct
		names := make([]string, t.NumFields())
		nodes := make([]parquet.Node, t.NumFields())
		for i, cf := range t.Fields() {
			n, c, err := p.build(cf, rep, def)
			if err != nil {
				return nil, nil, fmt.Errorf("field %s: %w", cf.Name, err)
			}
			names[i], nodes[i] = cf.Name, n
			pn.children = append(pn.children, c)
		}
		node = newOrderedGroup(names, nodes)
	case *arrow.ListType:
		pn.kind = kList
		pn.repLevel = rep + 1
		// Standard 3-level list: <opt> group (LIST) { repeated group list { element } }.
		ef := t.ElemField()
		ef.Name = "element"
		en, c, err := p.build(ef, rep+1, def+1)
		if err != nil {
			return nil, nil, fmt.Errorf("element: %w", err)
		}
		pn.children = []*pnode{c}
		node = parquet.List(en)
	default:
		return nil, nil, fmt.Errorf("unsupported Arrow type %s", f.Type)
	}
	if pn.kind != kStruct && pn.kind != kList {
		pn.leaf = p.leaves
		p.leaves++
	}
	pn.endLeaf = p.leaves
	if pn.optional {
		node = parquet.Optional(node)
	} else {
		node = parquet.Required(node)
	}
	return node, pn, nil
}
