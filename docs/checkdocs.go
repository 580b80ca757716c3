// SPDX-License-Identifier: BSD-3-Clause

//go:build ignore

// checkdocs reads doxygen's XML output for the installed headers and checks
// the documentation of every function in it, and that every function named
// on the command line is among them and documented:
//
//	go run docs/checkdocs.go XMLDIR [NAME...]
//
// A function is documented when it has a brief or detailed description, a
// @param for every named parameter, a "@par Arguments" list with an item
// for every parameter when the declaration leaves parameters unnamed, and a
// @return unless it returns void. ctests/test-docs.sh passes the functions
// libtinydtls.so exports that the headers declare. Prints one line per
// problem and a summary; exits 1 if there was a problem, 2 on bad input.
package main

import (
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// node is a generic XML element: doxygen's description markup nests freely.
type node struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Nodes   []node     `xml:",any"`
	Text    string     `xml:",chardata"`
}

func (n *node) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func (n *node) child(name string) *node {
	for i := range n.Nodes {
		if n.Nodes[i].XMLName.Local == name {
			return &n.Nodes[i]
		}
	}
	return nil
}

// text is all character data below n, in document order.
func (n *node) text() string {
	if n == nil {
		return ""
	}
	var b strings.Builder
	var walk func(*node)
	walk = func(m *node) {
		b.WriteString(m.Text)
		for i := range m.Nodes {
			walk(&m.Nodes[i])
		}
	}
	walk(n)
	return b.String()
}

// find calls f for every element below n (n included) named name.
func (n *node) find(name string, f func(*node)) {
	if n == nil {
		return
	}
	if n.XMLName.Local == name {
		f(n)
	}
	for i := range n.Nodes {
		n.Nodes[i].find(name, f)
	}
}

// prose is the text of a description without its parameter lists and
// sections (@param, @return, @par ...), i.e. what @brief or the body says.
func prose(n *node) string {
	if n == nil {
		return ""
	}
	var b strings.Builder
	var walk func(*node)
	walk = func(m *node) {
		switch m.XMLName.Local {
		case "parameterlist", "simplesect":
			return
		}
		b.WriteString(m.Text)
		for i := range m.Nodes {
			walk(&m.Nodes[i])
		}
	}
	walk(n)
	return strings.TrimSpace(b.String())
}

type function struct {
	name, file string
	line       string
	problems   []string
}

var (
	space      = regexp.MustCompile(`\s+`)
	qualifiers = regexp.MustCompile(`\b(static|inline|extern)\b`)
)

func norm(s string) string { return strings.TrimSpace(space.ReplaceAllString(s, " ")) }

func check(m *node, file string) function {
	f := function{name: norm(m.child("name").text()), file: file}
	if loc := m.child("location"); loc != nil {
		f.file, f.line = loc.attr("file"), loc.attr("line")
	}
	brief, detail := m.child("briefdescription"), m.child("detaileddescription")
	if prose(brief) == "" && prose(detail) == "" {
		f.problems = append(f.problems, "no description (@brief or text)")
	}

	// What the comment documents.
	documented := map[string]bool{}
	var returns, arguments bool
	argItems := 0
	for _, d := range []*node{brief, detail} {
		d.find("parameteritem", func(it *node) {
			if strings.TrimSpace(it.child("parameterdescription").text()) == "" {
				return
			}
			it.find("parametername", func(pn *node) { documented[norm(pn.text())] = true })
		})
		d.find("simplesect", func(s *node) {
			switch s.attr("kind") {
			case "return":
				returns = returns || strings.TrimSpace(s.text()) != ""
			case "par":
				if t := s.child("title"); t != nil && strings.HasPrefix(norm(t.text()), "Arguments") {
					arguments = true
					s.find("listitem", func(*node) { argItems++ })
				}
			}
		})
	}

	// What the declaration has.
	params, unnamed := 0, 0
	for i := range m.Nodes {
		p := &m.Nodes[i]
		if p.XMLName.Local != "param" {
			continue
		}
		typ := norm(p.child("type").text())
		name := norm(p.child("declname").text())
		if name == "" && typ == "void" {
			continue // f(void)
		}
		if name == "" && typ == "..." {
			name = "..." // variadic: documented as @param ...
		}
		params++
		if name == "" {
			unnamed++
			continue
		}
		if !documented[name] {
			f.problems = append(f.problems, fmt.Sprintf("no @param %s", name))
		}
	}
	if unnamed > 0 && (!arguments || argItems < params) {
		f.problems = append(f.problems, fmt.Sprintf(
			"%d unnamed parameter(s): needs a \"@par Arguments\" list with %d items (has %d)", unnamed, params, argItems))
	}
	ret := norm(qualifiers.ReplaceAllString(m.child("type").text(), ""))
	if ret != "void" && !returns {
		f.problems = append(f.problems, fmt.Sprintf("returns %s but has no @return", ret))
	}
	return f
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: go run docs/checkdocs.go XMLDIR [NAME...]")
		os.Exit(2)
	}
	dir := os.Args[1]
	var index node
	if err := readXML(filepath.Join(dir, "index.xml"), &index); err != nil {
		fmt.Fprintln(os.Stderr, "checkdocs:", err)
		os.Exit(2)
	}
	funcs := map[string]function{}
	var order []string
	var readErr error
	index.find("compound", func(c *node) {
		if c.attr("kind") != "file" || readErr != nil {
			return
		}
		var doc node
		if readErr = readXML(filepath.Join(dir, c.attr("refid")+".xml"), &doc); readErr != nil {
			return
		}
		file := norm(c.child("name").text())
		doc.find("memberdef", func(m *node) {
			if m.attr("kind") != "function" {
				return
			}
			f := check(m, file)
			if _, dup := funcs[f.name]; !dup {
				order = append(order, f.name)
			}
			funcs[f.name] = f
		})
	})
	if readErr != nil {
		fmt.Fprintln(os.Stderr, "checkdocs:", readErr)
		os.Exit(2)
	}
	if len(funcs) == 0 {
		fmt.Fprintln(os.Stderr, "checkdocs: no functions in", dir)
		os.Exit(2)
	}

	bad := 0
	sort.Strings(order)
	for _, name := range order {
		f := funcs[name]
		for _, p := range f.problems {
			fmt.Printf("%s:%s: %s: %s\n", f.file, f.line, name, p)
			bad++
		}
	}
	required := os.Args[2:]
	for _, name := range required {
		if _, ok := funcs[name]; !ok {
			fmt.Printf("%s: exported and declared in a header, but doxygen shows no documented function of that name\n", name)
			bad++
		}
	}
	fmt.Printf("checkdocs: %d functions in the headers, %d of them required by name; %d problem(s)\n",
		len(funcs), len(required), bad)
	if bad > 0 {
		os.Exit(1)
	}
}

func readXML(path string, v *node) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := xml.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	return nil
}
