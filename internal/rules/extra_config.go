package rules

import (
	"fmt"
	"strings"

	"github.com/milvus-coord/milvus-coord/internal/coord"
	"github.com/milvus-coord/milvus-coord/internal/finding"
)

// extraConfigContradicts: Milvus reads env over config files, so a file
// setting of an HA key that the env (the chart's own *_ENABLE_ACTIVE_STANDBY,
// or any other) sets otherwise is silently ignored: the user believes the
// coordinator runs in a mode it does not.
var extraConfigContradicts = Rule{
	ID:       "extra-config-contradicts",
	Severity: finding.Error,
	Protects: "A config-file setting of enableActiveStandby or the session TTL that another source overrides with another value (env beats files): it is silently ignored.",
	Fix:      "Remove the setting from the extra config; set the coordinator's activeStandby.enabled or milvus.session.ttl instead.",
	check: func(m *coord.Model) []Violation {
		var out []Violation
		seen := map[string]bool{}
		for _, w := range m.Workloads {
			for _, key := range w.HAKeys() {
				win, overridden, ok := w.Config.Lookup(key)
				if !ok {
					continue
				}
				for _, o := range overridden {
					if o.Derived && userOverrides(m, w, win, o) && !coord.SameValue(key, win, o) {
						subject := coord.NormalizeKey(key) + "@" + win.At.Name()
						if seen[subject] {
							continue // one setting in every coordinator's config: one finding
						}
						seen[subject] = true
						// A values key the user set, written into a config
						// file that the user's own config file overrides
						// (the upstream chart's default.yaml under user.yaml).
						out = append(out, Violation{Subject: subject, At: win.At,
							Message: fmt.Sprintf("%s is %s (%s), but %s is %s, which overrides it in the config of %s (a later config file over an earlier one): the values key is silently ignored",
								o.At.Path, quote(o.Value), o.Where, win.Where, quote(win.Value), w.Name),
							Fix: fmt.Sprintf("remove %s and set %s to the value you want", win.Where, o.At.Path)})
						continue
					}
					if o.Derived || w.Config.InEnv(o) || coord.SameValue(key, win, o) {
						continue
					}
					v := Violation{Subject: coord.NormalizeKey(key) + "@" + o.At.Name(), At: o.At,
						Message: fmt.Sprintf("%s is %s, but %s reads %s from %s, which overrides it (Milvus reads env over config files, a later file over an earlier one): the setting is silently ignored",
							o.Where, quote(o.Value), w.Name, quote(win.Value), win.Where),
						Fix: fmt.Sprintf("remove %s", o.Where)}
					if win.Derived {
						v.Fix = fmt.Sprintf("remove %s and set %s to the value you want", o.Where, win.At.Path)
					}
					out = append(out, v)
				}
			}
		}
		return out
	},
}

// standbySections are the config sections whose `activeStandby` subtree users
// write from the docs page, and standbyPrefixes their normalised keys.
var (
	standbySections = []string{"rootCoord", "queryCoord", "dataCoord", "indexCoord", coord.MixcoordSection}
	standbyPrefixes = func() []string {
		out := make([]string, len(standbySections))
		for i, s := range standbySections {
			out[i] = coord.NormalizeKey(s + ".activeStandby")
		}
		return out
	}()
	indexCoordStandby = coord.NormalizeKey(coord.ActiveStandbyKey(coord.IndexCoord.Section))
)

// extraConfigIgnored: keys that look like HA settings but that no Milvus code
// of this version reads.
// agreesWithDataCoord reports whether an indexCoord.enableActiveStandby
// setting says what datacoord's key decides from 2.3 (the upstream chart
// writes both from one value), or nothing reads either (2.6.8 mixcoord is
// always active-standby): ignored, but it misleads nobody.
func agreesWithDataCoord(m *coord.Model, w *coord.Workload, s coord.Setting) bool {
	for _, x := range m.Workloads {
		if x.Runs(coord.DataCoord) {
			w = x // the key of the workload that runs datacoord decides
			break
		}
	}
	data := w.ActiveStandby(coord.DataCoord, m.Version)
	on, valid := coord.ParseBool(s.Value)
	return data.Always || valid && !s.Unknown && on == data.On
}

var extraConfigIgnored = Rule{
	ID:       "extra-config-ignored",
	Severity: finding.Error,
	Protects: "Milvus config that Milvus silently ignores: <section>.activeStandby.* (read by no code), indexCoord.enableActiveStandby from 2.3, or an enableActiveStandby that is no boolean Milvus parses (read as false).",
	Fix:      "Remove the key and set the coordinator's activeStandby.enabled in the values.",
	check: func(m *coord.Model) []Violation {
		var out []Violation
		seen := map[string]bool{}
		add := func(v Violation) {
			if !seen[v.Subject] {
				seen[v.Subject] = true
				out = append(out, v)
			}
		}
		indexGone := m.Version.Known && !m.Version.Value.HasIndexCoord()
		for _, w := range m.Workloads {
			for _, s := range w.Config.Settings() {
				if s.Derived {
					continue
				}
				n := s.Norm
				for i, section := range standbySections {
					if strings.HasPrefix(n, standbyPrefixes[i]) {
						add(Violation{Subject: n + "@" + s.At.Name(), At: s.At,
							Message: fmt.Sprintf("%s is set, but no Milvus code reads it (the key is %s): it is silently ignored",
								s.Where, coord.ActiveStandbyKey(section)),
							Fix: valuesOr(w, fmt.Sprintf("remove %s and set activeStandby.enabled in the coordinator's values block", s.Where),
								fmt.Sprintf("remove %s and set %s in the config or env of %s", s.Where, coord.ActiveStandbyKey(section), w.Name))})
					}
				}
				if indexGone && n == indexCoordStandby && !agreesWithDataCoord(m, w, s) {
					add(Violation{Subject: n + "@" + s.At.Name(), At: s.At,
						Message: fmt.Sprintf("%s is set, but on Milvus %s no code reads it: since 2.3 datacoord registers the indexcoord session and %s decides its mode",
							s.Where, m.Version.Value, coord.ActiveStandbyKey(coord.DataCoord.Section)),
						Fix: valuesOr(w, fmt.Sprintf("remove %s; dataCoordinator.activeStandby.enabled sets the mode", s.Where),
							fmt.Sprintf("remove %s; %s sets the mode", s.Where, coord.ActiveStandbyKey(coord.DataCoord.Section)))})
				}
			}
			for _, r := range w.Roles {
				s := w.ActiveStandby(r, m.Version)
				if !s.Set || !s.Invalid || s.Setting.Derived || w.Config.InEnv(s.Setting) && w.Declared.Known {
					continue // env entries of the values are extra-env-overrides' to report
				}
				add(Violation{Subject: s.Setting.Norm + "@" + s.Setting.At.Name(), At: s.Setting.At,
					Message: fmt.Sprintf("%s is %s, which is no boolean Milvus parses (it reads true, false, 1, 0, t, f): Milvus silently runs %s without active-standby",
						s.Setting.Where, quote(s.Setting.Value), r.Name),
					Fix: valuesOr(w, fmt.Sprintf("remove %s and set activeStandby.enabled in the coordinator's values block", s.Setting.Where),
						fmt.Sprintf("set %s to true or false", s.Setting.Where))})
			}
		}
		return out
	},
}

// extraEnvOverrides: Milvus reads env over config, so an env var that sets an
// HA key the chart derives from the values overrides it: the pods run in
// another mode, or with another TTL, than the chart deployed them for (or will,
// as soon as the values change).
var extraEnvOverrides = Rule{
	ID:       "extra-env-overrides",
	Severity: finding.Error,
	Protects: "Env vars that override what the chart derives from values (*_ENABLE_ACTIVE_STANDBY, COMMON_SESSION_TTL): Milvus reads env over config, so the pods run in another mode than they are deployed for.",
	Fix:      "Remove the entry and set activeStandby.enabled or milvus.session.ttl instead.",
	check: func(m *coord.Model) []Violation {
		var out []Violation
		for _, w := range m.Workloads {
			for _, key := range w.HAKeys() {
				win, overridden, ok := w.Config.Lookup(key)
				if !ok || !w.Config.InEnv(win) {
					continue
				}
				if w.Declared.Known {
					var derived *coord.Setting
					for i := range overridden {
						if overridden[i].Derived {
							derived = &overridden[i]
							break
						}
					}
					for _, s := range append([]coord.Setting{win}, overridden...) {
						if s.Derived || !w.Config.InEnv(s) {
							continue
						}
						valuesKey := w.Block + ".activeStandby.enabled"
						if key == coord.SessionTTLKey {
							valuesKey = "milvus.session.ttl"
						}
						effect := "the pods do not run with the value the chart deploys them for"
						if derived != nil && coord.SameValue(key, s, *derived) {
							effect = "it agrees today, and silently wins once " + valuesKey + " changes"
						}
						out = append(out, Violation{Subject: coord.NormalizeKey(key) + "@" + s.At.Name(), At: s.At,
							Message: fmt.Sprintf("%s sets %s to %s, which Milvus reads over the config the chart writes from the values: %s",
								s.Where, key, quote(s.Value), effect),
							Fix: fmt.Sprintf("remove %s from %s.extraEnv and set %s", s.Key, w.Block, valuesKey)})
					}
					continue
				}
				for _, o := range overridden {
					if w.Config.InEnv(o) && !coord.SameValue(key, win, o) {
						out = append(out, Violation{Subject: coord.NormalizeKey(key) + "@" + win.At.Name(), At: win.At,
							Message: fmt.Sprintf("%s (%s) overrides %s (%s) for %s: the pods run with a value other than the one set first",
								win.Where, quote(win.Value), o.Where, quote(o.Value), key),
							Fix: fmt.Sprintf("keep one env var for %s in %s", key, w.Name)})
						break
					}
				}
			}
		}
		return out
	},
}

// milvusConfigDuplicateKey: Milvus matches config keys without case and
// reads a config file into a map, so one key written twice in one file
// (ttl and TTL, or a dotted key beside the nested one) is read from one of
// the two at random.
var milvusConfigDuplicateKey = Rule{
	ID:       "milvus-config-duplicate-key",
	Severity: finding.Error,
	Protects: "One Milvus key written twice in one config file under two spellings (ttl and TTL, a dotted key beside a nested one): Milvus reads one of them at random.",
	Fix:      "Write each Milvus key once, in the spelling the chart uses; set the chart's own keys through their values.",
	check: func(m *coord.Model) []Violation {
		var out []Violation
		seen := map[string]bool{}
		for _, w := range m.Workloads {
			for _, group := range w.Config.Spellings() {
				var derived *coord.Setting
				var user []coord.Setting
				for i, s := range group {
					if s.Derived {
						derived = &group[i]
					} else {
						user = append(user, s)
					}
				}
				// The user's setting in a spelling another setting does not
				// share (the chart's own spelling first), and one it differs from.
				var s, other *coord.Setting
				for i := len(user) - 1; i >= 0 && s == nil; i-- {
					if derived != nil {
						if user[i].Key != derived.Key {
							s, other = &user[i], derived
						}
						continue
					}
					for j := range group {
						if group[j].Key != user[i].Key {
							s, other = &user[i], &group[j]
							break
						}
					}
				}
				if s == nil {
					continue
				}
				subject := s.Norm + "@" + s.At.Name()
				if seen[subject] {
					continue
				}
				seen[subject] = true
				v := Violation{Subject: subject, At: s.At,
					Message: fmt.Sprintf("%s and %s are one Milvus key written twice in the config file of %s: Milvus loads the file into a map and reads one of the two at random",
						s.Where, other.Where, w.Name),
					Fix: fmt.Sprintf("remove %s, or write it as %s", s.Where, other.Key)}
				if derived != nil {
					v.Fix = fmt.Sprintf("remove %s and set %s: %s", s.Where, derived.At.Path, valuesValue(*s))
				}
				out = append(out, v)
			}
		}
		return out
	},
}

// valuesValue is a Milvus setting's value as the chart's values key for it
// takes it: a boolean for enableActiveStandby (as Milvus parses it), the text
// otherwise.
func valuesValue(s coord.Setting) string {
	if strings.HasSuffix(s.Norm, "enableactivestandby") {
		b, _ := coord.ParseBool(s.Value)
		return boolWord(b)
	}
	return s.Value
}

// valuesOr is the fix in values terms for a workload a values block made, else
// the fix in the objects' own terms (manifests).
func valuesOr(w *coord.Workload, values, objects string) string {
	if w.Block != "" {
		return values
	}
	return objects
}

// userOverrides reports whether win, a config-file setting the user wrote,
// overrides o, which the producer derived from a values key the user set.
func userOverrides(m *coord.Model, w *coord.Workload, win, o coord.Setting) bool {
	return !win.Derived && !w.Config.InEnv(win) && win.At.Object == "" && o.At.Object == "" &&
		m.UserSet != nil && m.UserSet(o.At.Path)
}
