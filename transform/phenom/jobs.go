package phenom

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/atslake/atslake/extract"
	phenomx "github.com/atslake/atslake/extract/phenom"
	"github.com/atslake/atslake/schemas"
	"github.com/atslake/atslake/transform"
)

// Enum mappings of jobs (shared/spec/phenom.md).
var (
	employmentTypes = transform.NewOpenEnum(map[string][]string{
		"FULL_TIME":  {"full time"},
		"PART_TIME":  {"part time"},
		"CONTRACT":   {"contract", "temporary"},
		"INTERNSHIP": {"internship", "intern"},
		"SEASONAL":   {"seasonal"},
	})
	jobStatuses     = transform.NewOpenEnum(map[string][]string{"OPEN": {"open"}, "CLOSED": {"closed"}})
	jobVisibilities = transform.NewOpenEnum(map[string][]string{"PUBLIC": {"external"}, "INTERNAL": {"internal"}})
)

// Roles: remote ids (= unified types) and labels, in the order they are written.
const (
	roleHiringManager = "HIRING_MANAGER"
	roleRecruiter     = "RECRUITER"
)

var roles = []struct{ id, label string }{
	{roleHiringManager, "Hiring Manager"},
	{roleRecruiter, "Recruiter"},
}

var (
	jobsT        = schemas.MustLookup(tableJobs)
	usersT       = schemas.MustLookup(tableUsers)
	rolesT       = schemas.MustLookup(tableRoles)
	membersT     = schemas.MustLookup(tableMembers)
	assignmentsT = schemas.MustLookup(tableAssignments)
)

// addJob buffers a job document, keeping one item per jobId: the one in the
// configured locale, else the first seen (at the first one's position).
func (m *Mapper) addJob(d extract.Doc, skip transform.Skipper) {
	fail := func(err error) { skip.Skip(tableJobs, d.Key, phenomx.PathJobs, err) }
	if m.jobsWritten {
		fail(fmt.Errorf("%w: job document after the jobs list-complete marker", transform.ErrMalformed))
		return
	}
	if strings.TrimSpace(d.Key) == "" {
		fail(fmt.Errorf("%w: jobId", transform.ErrMissingKey))
		return
	}
	var jd jobDoc
	if err := decodeBody(d, &jd); err != nil {
		fail(err)
		return
	}
	j := jd.Item
	if j == nil {
		fail(fmt.Errorf("%w: the body has no %s object", transform.ErrMalformed, phenomx.PathJobs))
		return
	}
	if err := checkRecruiters(j.MultiRecruiter); err != nil {
		fail(fmt.Errorf("%w: %w", transform.ErrMalformed, err))
		return
	}
	j.JobID = text(d.Key)
	i, seen := m.jobIndex[d.Key]
	switch {
	case !seen:
		m.jobIndex[d.Key] = len(m.jobs)
		m.jobs = append(m.jobs, j)
	case m.jobs[i].locale() != m.locale && j.locale() == m.locale:
		m.jobs[i] = j
	}
}

// locale returns the job's locale text ("" when missing or not a string).
func (j *jobItem) locale() string {
	s, _ := transform.JSONStringValue(j.Locale)
	return s
}

// link is one (user, role) of a job's hiring team, with the name the source gives.
type link struct {
	user, role, name string
}

// normEmail is the user remote id of an e-mail: trimmed and lower-cased.
func normEmail(t userKey) string { return strings.ToLower(strings.TrimSpace(string(t))) }

// links returns the job's hiring team in order: the hiring manager when
// hiringManagerEmail is non-blank, then every multiRecruiter entry with a
// non-blank recruiterEmail, in list order.
func (j *jobItem) links() []link {
	var out []link
	if u := normEmail(j.HiringManagerEmail); u != "" {
		out = append(out, link{u, roleHiringManager, string(j.HiringManagerName)})
	}
	for _, r := range recruiters(j.MultiRecruiter) {
		if u := normEmail(r.RecruiterEmail); u != "" {
			out = append(out, link{u, roleRecruiter, string(r.RecruiterName)})
		}
	}
	return out
}

// writeJobs writes the buffered jobs and the rows derived from them (users,
// roles, hiring-team members, role assignments), then drops the buffer.
func (m *Mapper) writeJobs(ctx context.Context, out transform.Emitter) error {
	m.jobsWritten = true
	jobs := m.jobs
	m.jobs, m.jobIndex = nil, nil
	type step struct {
		table string
		write func(context.Context, transform.Emitter, *transform.TableBuilder) error
	}
	for _, s := range []step{
		{tableJobs, func(ctx context.Context, out transform.Emitter, b *transform.TableBuilder) error {
			return writeJobRows(ctx, out, b, jobs)
		}},
		{tableUsers, func(ctx context.Context, out transform.Emitter, b *transform.TableBuilder) error {
			return writeUsers(ctx, out, b, jobs)
		}},
		{tableRoles, writeRoles},
		{tableMembers, func(ctx context.Context, out transform.Emitter, b *transform.TableBuilder) error {
			return writeTeams(ctx, out, b, m.builder(tableAssignments), jobs)
		}},
	} {
		b := m.builder(s.table)
		if err := s.write(ctx, out, b); err != nil {
			return fmt.Errorf("phenom %s: %w", s.table, err)
		}
		if err := b.FlushTo(ctx, out); err != nil {
			return fmt.Errorf("phenom %s: %w", s.table, err)
		}
	}
	if err := m.builder(tableAssignments).FlushTo(ctx, out); err != nil {
		return fmt.Errorf("phenom %s: %w", tableAssignments, err)
	}
	return nil
}

func writeJobRows(ctx context.Context, out transform.Emitter, b *transform.TableBuilder, jobs []*jobItem) error {
	var (
		cName       = jobsT.MustCol("name")
		cDesc       = jobsT.MustCol("description")
		cEmployment = jobsT.MustCol("employment_type")
		cStatus     = jobsT.MustCol("status")
		cVisibility = jobsT.MustCol("visibility")
		cCategory   = jobsT.MustCol("category")
		cDepartment = jobsT.MustCol("department")
		cPostURL    = jobsT.MustCol("post_url")
		cLocation   = jobsT.MustCol("location")
		cIntegr     = jobsT.MustCol("integration_fields")
		cOpenedAt   = jobsT.MustCol("opened_at")
	)
	for _, j := range jobs {
		b.Begin(string(j.JobID))
		b.OptString(cName, j.Title.opt())
		b.OptString(cDesc, j.Description.opt())
		mapEnum(b, cEmployment, employmentTypes, j.Type)
		mapEnum(b, cStatus, jobStatuses, j.Status)
		mapEnum(b, cVisibility, jobVisibilities, j.SiteType)
		b.OptString(cCategory, j.Category.opt())
		b.OptString(cDepartment, j.Department.opt())
		b.OptString(cPostURL, j.ApplyURL.opt())
		b.Location(cLocation, &transform.Location{
			City:    j.City.opt(),
			State:   j.State.opt(),
			Country: transform.Country("", j.Country.opt()),
			ZipCode: j.PostalCode.opt(),
			Raw:     j.Location.opt(),
		})
		b.IntegrationFields(cIntegr, defaultFields(
			sourceField{fieldReqID, j.ReqID},
			sourceField{fieldLocale, j.Locale},
		))
		b.TimestampText(cOpenedAt, string(j.PostedDate))
		if err := b.EndTo(ctx, out); err != nil {
			return err
		}
	}
	return nil
}

// mapEnum sets an open-enum column from source text (NULL when blank).
func mapEnum(b *transform.TableBuilder, col int, e *transform.Enum, t text) {
	if v, ok := e.Map(t.opt()); ok {
		b.String(col, v)
	}
}

// sourceField is a source field's name and its JSON value as received.
type sourceField struct {
	name string
	raw  json.RawMessage
}

// defaultFields returns the DEFAULT integration fields of fs (id = key = the
// source field name, label NULL), leaving out missing and null values; never nil.
func defaultFields(fs ...sourceField) []transform.IntegrationField {
	out := make([]transform.IntegrationField, 0, len(fs))
	for _, f := range fs {
		if transform.IsNullJSON(f.raw) {
			continue
		}
		out = append(out, transform.IntegrationField{ID: f.name, Key: f.name, Type: transform.FieldDefault,
			Value: transform.AppendCompactJSON(nil, f.raw)})
	}
	return out
}

// writeUsers writes one user per distinct e-mail of the jobs' hiring teams,
// in order of first appearance.
func writeUsers(ctx context.Context, out transform.Emitter, b *transform.TableBuilder, jobs []*jobItem) error {
	var (
		cFirst = usersT.MustCol("first_name")
		cLast  = usersT.MustCol("last_name")
		cEmail = usersT.MustCol("email")
	)
	index := map[string]int{}
	var users []link // user + name
	for _, j := range jobs {
		for _, l := range j.links() {
			i, ok := index[l.user]
			if !ok {
				index[l.user] = len(users)
				users = append(users, link{user: l.user})
				i = len(users) - 1
			}
			if users[i].name == "" && strings.TrimSpace(l.name) != "" {
				users[i].name = l.name
			}
		}
	}
	for _, u := range users {
		b.Begin(u.user)
		first, last := splitName(u.name)
		b.OptString(cFirst, first)
		b.OptString(cLast, last)
		b.String(cEmail, u.user)
		if err := b.EndTo(ctx, out); err != nil {
			return err
		}
	}
	return nil
}

// splitName splits a trimmed name at its first space ("" for a missing part).
func splitName(name string) (first, last string) {
	first, last, _ = strings.Cut(strings.TrimSpace(name), " ")
	return first, strings.TrimSpace(last)
}

func writeRoles(ctx context.Context, out transform.Emitter, b *transform.TableBuilder) error {
	var (
		cLabel = rolesT.MustCol("remote_label")
		cScope = rolesT.MustCol("scope")
		cType  = rolesT.MustCol("unified_type")
	)
	for _, r := range roles {
		b.Begin(r.id)
		b.String(cLabel, r.label)
		b.String(cScope, "JOB")
		b.String(cType, r.id)
		if err := b.EndTo(ctx, out); err != nil {
			return err
		}
	}
	return nil
}

// writeTeams writes, per job, one member per distinct user (roles in the
// order first assigned, no repeats) and one assignment per distinct
// (member, role). Remote ids: <jobId>:<user> and <jobId>:<user>:<role>.
func writeTeams(ctx context.Context, out transform.Emitter, mb, ab *transform.TableBuilder, jobs []*jobItem) error {
	var (
		cJob     = membersT.MustCol("job_id")
		cUser    = membersT.MustCol("user_id")
		cRoles   = membersT.MustCol("roles")
		cJobUser = assignmentsT.MustCol("job_user_id")
		cRole    = assignmentsT.MustCol("role_id")
	)
	type member struct {
		user  string
		roles []string
	}
	for _, j := range jobs {
		jobID := string(j.JobID)
		var members []*member
		byUser := map[string]*member{}
		for _, l := range j.links() {
			mem, ok := byUser[l.user]
			if !ok {
				mem = &member{user: l.user}
				byUser[l.user] = mem
				members = append(members, mem)
			}
			if !slices.Contains(mem.roles, l.role) {
				mem.roles = append(mem.roles, l.role)
			}
		}
		for _, mem := range members {
			memberRemote := jobID + ":" + mem.user
			mb.Begin(memberRemote)
			mb.Ref(cJob, tableJobs, jobID)
			mb.Ref(cUser, tableUsers, mem.user)
			mb.StringList(cRoles, mem.roles)
			if err := mb.EndTo(ctx, out); err != nil {
				return err
			}
			for _, r := range mem.roles {
				ab.Begin(memberRemote + ":" + r)
				ab.Ref(cJobUser, tableMembers, memberRemote)
				ab.Ref(cRole, tableRoles, r)
				if err := ab.EndTo(ctx, out); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
