package coord

import "strconv"

// Readers of Helm values. A value of the wrong type is the schema's finding:
// the readers say so with ok false, and the model records the fact as unknown
// instead of guessing. YAML numbers arrive as float64, --set ones as int64.

func mapAt(m map[string]any, key string) (map[string]any, bool) {
	switch v := m[key].(type) {
	case nil:
		return nil, true
	case map[string]any:
		return v, true
	}
	return nil, false
}

func boolAt(m map[string]any, key string) (bool, bool) {
	switch v := m[key].(type) {
	case nil:
		return false, true
	case bool:
		return v, true
	}
	return false, false
}

func stringAt(m map[string]any, key string) (string, bool) {
	switch v := m[key].(type) {
	case nil:
		return "", true
	case string:
		return v, true
	}
	return "", false
}

func intAt(m map[string]any, key string) (int, bool) {
	switch n := m[key].(type) {
	case nil:
		return 0, true
	case float64:
		if n == float64(int(n)) {
			return int(n), true
		}
	case int64:
		return int(n), true
	case int:
		return n, true
	}
	return 0, false
}

func listAt(m map[string]any, key string) ([]any, bool) {
	switch v := m[key].(type) {
	case nil:
		return nil, true
	case []any:
		return v, true
	}
	return nil, false
}

func itoa(i int) string { return strconv.Itoa(i) }
