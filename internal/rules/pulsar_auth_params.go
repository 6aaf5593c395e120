package rules

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/milvus-coord/milvus-coord/internal/coord"
	"github.com/milvus-coord/milvus-coord/internal/finding"
)

// pulsarAuthParamsForm: Milvus reformats pulsar.authParams before it hands it
// to the Pulsar client (pkg/util/paramtable/service_param.go, the key's
// Formatter): it splits the text on "," and each part on every ":", keeps
// the parts that give exactly one key and one value, and encodes those as a
// JSON object. JSON written by the user becomes nonsense keys ({"token" and
// "abc"}), and a pair whose value holds a ":" (a URL) is silently dropped:
// the client connects without the credentials it was meant to send.
var pulsarAuthParamsForm = Rule{
	ID:       "pulsar-auth-params-form",
	Severity: finding.Error,
	Protects: "pulsar.authParams that is not key:value[,key:value] pairs: Milvus splits it on ',' and ':', so JSON turns into nonsense keys and a value with a ':' (a URL) is dropped, and Pulsar refuses the coordinators.",
	Fix:      "Write pulsar.authParams as key:value pairs separated by ',' (for a token: token:<the token>, or file:<path of the token file>).",
	check: func(m *coord.Model) []Violation {
		var out []Violation
		seen := map[string]bool{}
		for _, w := range m.Workloads {
			if mq, _, ok := w.Config.Lookup(coord.MQTypeKey); ok && mq.Value != "pulsar" {
				continue
			}
			s, _, ok := w.Config.Lookup(coord.PulsarAuthParamsKey)
			if !ok || s.Unknown || strings.TrimSpace(s.Value) == "" {
				continue
			}
			problem, fix := authParamsProblem(s.Value)
			if problem == "" {
				continue
			}
			subject := s.Norm + "@" + s.At.Name()
			if seen[subject] {
				continue
			}
			seen[subject] = true
			target := s.Where
			if s.At.Object == "" && s.At.Path != "" {
				target = s.At.Path
				if p, ok := strings.CutSuffix(target, ".name"); ok {
					target = p + ".value" // an extraEnv entry
				}
			}
			out = append(out, Violation{Subject: subject, At: s.At,
				Message: fmt.Sprintf("%s %s: Milvus splits pulsar.authParams on ',' and then ':' and keeps only parts that give exactly one key and one value, so the Pulsar client of %s gets other credentials than written and Pulsar refuses it", s.Where, problem, w.Name),
				Fix:     fmt.Sprintf("write %s as %s", target, fix)})
		}
		return out
	},
}

// authParamsProblem says what Milvus makes of text, when it is not the pairs
// form, and the pairs form to write instead (naming the user's values, not
// printing them: they are credentials).
func authParamsProblem(text string) (problem, fix string) {
	text = strings.TrimSpace(text)
	generic := "key:value pairs separated by ',' (for a token: token:<the token>, or file:<path of the token file>)"
	if strings.HasPrefix(text, "{") {
		var params map[string]any
		if json.Unmarshal([]byte(text), &params) != nil || len(params) == 0 {
			return "is written as JSON", generic
		}
		keys := slices.Sorted(maps.Keys(params))
		pairs := make([]string, len(keys))
		for i, k := range keys {
			v, isString := params[k].(string)
			if !isString || strings.ContainsAny(k, ",:") || strings.ContainsAny(v, ",:") {
				return fmt.Sprintf("is written as JSON, and its %q holds a ',' or ':' (or is no string), which Milvus cannot pass at all", k), generic
			}
			pairs[i] = fmt.Sprintf("%s:<the value of %q>", k, k)
		}
		return "is written as JSON", "the pairs " + strings.Join(pairs, ",")
	}
	for i, part := range strings.Split(text, ",") {
		if n := len(strings.Split(part, ":")); part != "" && n != 2 {
			if n == 1 {
				// The part may be a bare secret: name it by position only.
				return fmt.Sprintf("has a part (number %d) without ':', which Milvus drops", i+1), generic
			}
			key, _, _ := strings.Cut(part, ":")
			return fmt.Sprintf("has a value for %q that holds a ':' (a URL?), which Milvus drops", key), generic
		}
	}
	return "", ""
}
