package values

import (
	"strconv"
	"strings"
)

// Paths name a value in the values tree the way users write them:
// "rootCoordinator.tolerations[0].key". A key that would be ambiguous in that
// form (a dot, a bracket, empty) is quoted: `annotations["prometheus.io/scrape"]`.

// Join returns the path of key inside the mapping at parent.
func Join(parent, key string) string {
	if key == "" || strings.ContainsAny(key, ".[]\"") {
		return parent + "[" + strconv.Quote(key) + "]"
	}
	if parent == "" {
		return key
	}
	return parent + "." + key
}

// Index returns the path of element i of the sequence at parent.
func Index(parent string, i int) string {
	return parent + "[" + strconv.Itoa(i) + "]"
}

// Parent returns the path of the mapping or sequence that holds path ("" for
// the top level), and false when path is the top level itself.
func Parent(path string) (string, bool) {
	if path == "" {
		return "", false
	}
	if strings.HasSuffix(path, "]") {
		// the opening bracket of the last element; a quoted key may hold brackets
		i := strings.LastIndex(path, "[")
		if q := strings.LastIndex(path, "[\""); q >= 0 && strings.HasSuffix(path, "\"]") {
			i = q
		}
		return path[:i], true
	}
	i := strings.LastIndex(path, ".")
	if i < 0 {
		return "", true
	}
	return path[:i], true
}

// Lookup returns the value at the path given as keys and indices, and whether it exists.
func Lookup(tree map[string]any, keys ...string) (any, bool) {
	var cur any = tree
	for _, k := range keys {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[k]; !ok {
			return nil, false
		}
	}
	return cur, true
}
