package coord

import (
	"strings"
	"unicode"
)

// EnvName is the environment variable Milvus reads for a config key, in the
// spelling Milvus' own docs and charts use: rootCoord.enableActiveStandby is
// ROOT_COORD_ENABLE_ACTIVE_STANDBY (any spelling with the same NormalizeKey
// works).
func EnvName(key string) string {
	var b strings.Builder
	prevLower := false
	for _, r := range key {
		switch {
		case r == '.':
			b.WriteByte('_')
			prevLower = false
		case unicode.IsUpper(r):
			if prevLower {
				b.WriteByte('_')
			}
			b.WriteRune(r)
			prevLower = false
		default:
			b.WriteRune(unicode.ToUpper(r))
			prevLower = unicode.IsLower(r) || unicode.IsDigit(r)
		}
	}
	return b.String()
}
