package coordstatus

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Formats are the output formats of status and watch, for -o.
var Formats = []string{"text", "json"}

// WriteStatusText writes the report for people: the instances of every role
// as a table, then the verdicts and expected failover times as a table, then
// the reason and fix of each role that is not HA, then unreadable keys.
func WriteStatusText(w io.Writer, r *Report) error {
	version := r.MilvusVersion
	if version == "" {
		version = "(version unknown: no session says)"
	}
	fmt.Fprintf(w, "Milvus %s, %s coordinators, sessions under %s (etcd revision %d)\n\n", version, r.Mode, r.Prefix, r.Revision)

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	// LEASE last: its width varies, and must not shift the other columns.
	fmt.Fprintln(tw, "ROLE\tSTATE\tSERVER\tADDRESS\tHOST\tVERSION\tTTL\tLEASE")
	for _, rs := range r.Roles {
		if rs.Active == nil && len(rs.Standbys) == 0 {
			fmt.Fprintf(tw, "%s\t-\t-\t-\t-\t-\t-\t-\n", rs.Role)
			continue
		}
		if rs.Active != nil {
			instanceRow(tw, rs.Role, "ACTIVE", *rs.Active)
		}
		for _, s := range rs.Standbys {
			instanceRow(tw, rs.Role, "STANDBY", s)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ROLE\tVERDICT\tSTANDBYS\tFAILOVER AFTER A CRASH\tAFTER A GRACEFUL STOP")
	for _, rs := range r.Roles {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\n", rs.Role, rs.Verdict, len(rs.Standbys), short(rs.Failover.CrashSeconds, rs.Verdict), short(rs.Failover.GracefulStopSeconds, rs.Verdict))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, rs := range r.Roles {
		fmt.Fprintf(w, "\n%s: %s\n", rs.Role, rs.Reason)
		if len(rs.LegacyKeys) > 0 {
			fmt.Fprintf(w, "  legacy keys held by the ACTIVE mixcoord under its lease: %s\n", strings.Join(rs.LegacyKeys, ", "))
		}
		if rs.Verdict == VerdictHA {
			fmt.Fprintf(w, "  after a crash: %s; after a graceful stop: %s\n", rs.Failover.Crash, rs.Failover.GracefulStop)
		}
		if rs.Fix != "" {
			fmt.Fprintf(w, "  fix: %s\n", rs.Fix)
		}
	}
	if len(r.Unreadable) > 0 {
		fmt.Fprintf(w, "\nunreadable session keys (shown, never changed):\n")
		for _, u := range r.Unreadable {
			fmt.Fprintf(w, "  %s: %s\n", u.Key, u.Problem)
		}
	}
	if r.OK {
		fmt.Fprintln(w, "\nevery coordinator role is served with a standby")
	} else {
		fmt.Fprintln(w, "\nnot every coordinator role is served with a standby (exit code 1)")
	}
	return nil
}

func instanceRow(w io.Writer, role, state string, in Instance) {
	if in.Stopping {
		state += " (stopping)"
	}
	lease, ttl := "-", "-"
	if in.Lease != "" {
		lease = in.Lease
		if in.LeaseTTL < 0 {
			ttl = "expired"
		} else {
			ttl = fmt.Sprintf("%d/%ds", in.LeaseTTL, in.GrantedTTL)
		}
	}
	fmt.Fprintf(w, "%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\n", role, state, in.ServerID, dash(in.Address), dash(in.HostName), dash(in.Version), ttl, lease)
}

func short(seconds *int64, v Verdict) string {
	switch {
	case v == VerdictDown:
		return "already down"
	case seconds == nil:
		return "until a restart"
	case *seconds == 0:
		return "reload only"
	}
	return fmt.Sprintf("%ds + reload", *seconds)
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// WriteStatusJSON writes the report as one indented JSON document.
func WriteStatusJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteEventText writes one watch event as a line for people; prefix is
// trimmed from keys.
func WriteEventText(w io.Writer, prefix string, ev Event) error {
	var b strings.Builder
	b.WriteString(ev.Time.Format("15:04:05.000Z07:00"))
	fmt.Fprintf(&b, "  %-9s", ev.Type)
	if ev.Key != "" {
		fmt.Fprintf(&b, "  %s", strings.TrimPrefix(ev.Key, prefix))
	} else if ev.Role != "" {
		fmt.Fprintf(&b, "  %s", ev.Role)
	}
	if in := ev.Instance; in != nil && in.ServerID != 0 {
		fmt.Fprintf(&b, "  server %d %s host %s", in.ServerID, dash(in.Address), dash(in.HostName))
		if in.Lease != "" {
			fmt.Fprintf(&b, " lease %s", in.Lease)
		}
	}
	if ev.Key != "" || ev.Role != "" {
		b.WriteString(":")
	}
	fmt.Fprintf(&b, " %s\n", ev.Message)
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteEventJSON writes one watch event as one line of JSON (JSON Lines).
func WriteEventJSON(w io.Writer, ev Event) error {
	return json.NewEncoder(w).Encode(ev)
}
