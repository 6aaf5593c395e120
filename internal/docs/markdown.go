package docs

import (
	"fmt"
	"strings"
)

// Block is one fenced code block of a Markdown document (``` fences only).
type Block struct {
	Lang       string // the first word of the info string: sh, yaml, text...
	Body       string // the lines between the fences, each ending in "\n"
	Line       int    // 1-based line of the opening fence
	Start, End int    // byte offsets of Body in the document
}

// Blocks returns the fenced code blocks of a Markdown document, in order. A
// fence is a line that starts with three backticks; the block ends at the next
// line that is exactly three backticks (leading spaces allowed on both).
func Blocks(md string) ([]Block, error) {
	var out []Block
	var open *Block
	off := 0
	for i, line := range strings.SplitAfter(md, "\n") {
		text := strings.TrimSpace(line)
		switch {
		case open == nil && strings.HasPrefix(text, "```"):
			fields := strings.Fields(strings.TrimPrefix(text, "```"))
			open = &Block{Line: i + 1, Start: off + len(line)}
			if len(fields) > 0 {
				open.Lang = fields[0]
			}
		case open != nil && text == "```":
			open.End = off
			open.Body = md[open.Start:open.End]
			out = append(out, *open)
			open = nil
		}
		off += len(line)
	}
	if open != nil {
		return out, fmt.Errorf("line %d: code block never closed", open.Line)
	}
	return out, nil
}

// Between returns the text between the lines holding the markers begin and end.
func Between(doc, begin, end string) (string, error) {
	start, stop, err := markers(doc, begin, end)
	if err != nil {
		return "", err
	}
	return doc[start:stop], nil
}

// ReplaceBetween replaces the text between the lines holding the markers begin
// and end (the markers stay).
func ReplaceBetween(doc, begin, end, content string) (string, error) {
	start, stop, err := markers(doc, begin, end)
	if err != nil {
		return "", err
	}
	return doc[:start] + content + doc[stop:], nil
}

// markers returns the offsets just after the line of begin and at the start of
// the line of end.
func markers(doc, begin, end string) (int, int, error) {
	b := strings.Index(doc, begin)
	if b < 0 {
		return 0, 0, fmt.Errorf("marker %s not found", begin)
	}
	if strings.Count(doc, begin) > 1 {
		return 0, 0, fmt.Errorf("marker %s found more than once", begin)
	}
	nl := strings.IndexByte(doc[b:], '\n')
	if nl < 0 {
		return 0, 0, fmt.Errorf("marker %s ends the document", begin)
	}
	start := b + nl + 1
	e := strings.Index(doc[start:], end)
	if e < 0 {
		return 0, 0, fmt.Errorf("marker %s not found after %s", end, begin)
	}
	stop := start + strings.LastIndexByte(doc[start:start+e], '\n') + 1
	return start, stop, nil
}

// Commands returns the command lines of a shell block: comment lines and blank
// lines are dropped, a trailing comment is kept (it is part of the command as
// a shell sees it, but harmless), and lines ending in a backslash are joined
// with the next.
func Commands(body string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(body, "\n") {
		text := strings.TrimSpace(line)
		if cur.Len() == 0 && (text == "" || strings.HasPrefix(text, "#")) {
			continue
		}
		if cont, ok := strings.CutSuffix(text, "\\"); ok {
			cur.WriteString(strings.TrimSpace(cont))
			cur.WriteString(" ")
			continue
		}
		cur.WriteString(text)
		out = append(out, strings.TrimSpace(cur.String()))
		cur.Reset()
	}
	if cur.Len() > 0 {
		out = append(out, strings.TrimSpace(cur.String()))
	}
	return out
}

// Cell escapes text for a Markdown table cell: pipes are escaped everywhere
// (GitHub requires it inside code spans too); outside code spans "<" is
// written as an entity so that placeholders like <coordinator> are not taken
// for HTML tags and dropped, and "*" is escaped so that *_ENABLE_... is not
// taken for emphasis. Underscores are left alone ("_unset_" is meant as
// emphasis; inside words they are not emphasis).
func Cell(text string) string {
	text = strings.Join(strings.Fields(text), " ")
	parts := strings.Split(text, "`")
	for i, p := range parts {
		if i%2 == 0 { // outside a code span
			p = strings.NewReplacer("<", "&lt;", "*", `\*`).Replace(p)
		}
		parts[i] = strings.ReplaceAll(p, "|", `\|`)
	}
	return strings.Join(parts, "`")
}
