package smartrecruiters

import (
	"context"
	"encoding/json"
	"errors"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/atslake/atslake/extract"
	sr "github.com/atslake/atslake/extract/smartrecruiters"
	"github.com/atslake/atslake/transform"
)

const statusSourcing = "SOURCING"

// job maps one KindJob document (J1-J5) to jobs, job_postings, JOB roles,
// job_hiring_team_members, job_user_role_assignments and job_stages, and
// remembers its job ads for the postings that follow.
func (m *Mapper) job(ctx context.Context, d extract.Doc, out transform.Emitter, skip transform.Skipper) error {
	var doc jobDoc
	if err := decode(d.Body, &doc, "jobs", d.Key, sr.PathJob); err != nil {
		return err
	}
	j := &doc.J2
	visibility := transform.FirstNonEmpty(doc.J1.PostingStatus, j.PostingStatus) // J1's, as the spec says
	mergeSummary(j, &doc.J1)
	if j.ID == "" {
		return missing("jobs", d.Key, sr.PathJobs, "id")
	}
	adsRaw, _ := transform.AppendElements(m.sc.raws[:0], transform.Member(d.Body, sr.PathJobAds))
	m.sc.raws = adsRaw
	if len(adsRaw) != len(doc.J4) {
		return malformed("jobs", j.ID, sr.PathJobAds, errors.New("job ads not an array"))
	}

	// Everything decoded: emit.
	m.noteJobRead(j.ID)
	if err := m.jobRow(ctx, out, j, d.Body, visibility, doc.J4, &doc.J5); err != nil {
		return err
	}
	for i := range doc.J4 {
		ad := &doc.J4[i]
		if ad.ID == "" {
			m.report(skip, missing("job_postings", j.ID, sr.PathJobAds, "id"))
			continue
		}
		m.ads[ad.ID] = adRef{jobID: j.ID, isDefault: ad.Default}
		if err := m.postingRow(ctx, out, j.ID, ad, adsRaw[i]); err != nil {
			return err
		}
	}
	if err := m.hiringTeam(ctx, out, skip, j.ID, doc.J3.Content); err != nil {
		return err
	}
	b := m.b[tJobStages]
	for i, st := range m.stages.jobList(j.HiringProcessID) {
		b.BeginBytes(m.key(j.ID, st))
		b.Ref(jobStagesJobID, "jobs", j.ID)
		b.Ref(jobStagesStageID, "application_stages", st)
		b.Int(jobStagesIndex, int64(i))
		if err := b.EndTo(ctx, out); err != nil {
			return err
		}
	}
	return nil
}

// mergeSummary fills the fields J2 (the details) lacks from J1 (the summary).
func mergeSummary(j, s *job) {
	fill := func(dst *string, src string) {
		if *dst == "" {
			*dst = src
		}
	}
	fill(&j.ID, s.ID)
	fill(&j.Title, s.Title)
	fill(&j.RefNumber, s.RefNumber)
	fill(&j.CreatedOn, s.CreatedOn)
	fill(&j.UpdatedOn, s.UpdatedOn)
	fill(&j.Status, s.Status)
	fill(&j.PostingStatus, s.PostingStatus)
	if j.Department == (idLabel{}) {
		j.Department = s.Department
	}
	if j.Location == (location{}) {
		j.Location = s.Location
	}
}

func (m *Mapper) jobRow(ctx context.Context, out transform.Emitter, j *job, body []byte, visibility string, ads []jobAd, hist *statusHistory) error {
	b := m.b[tJobs]
	b.Begin(j.ID)
	b.OptString(jobsName, j.Title)
	b.OptString(jobsJobCode, j.RefNumber)
	m.sc.text = appendSections(m.sc.text[:0], &j.JobAd.Sections)
	optBytes(b, jobsDescription, m.sc.text)
	if v, ok := employmentType.Map(transform.FirstNonEmpty(j.TypeOfEmployment.Label, j.TypeOfEmployment.ID)); ok {
		b.String(jobsEmploymentType, v)
	}
	if v, ok := jobStatus.Map(j.Status); ok {
		b.String(jobsStatus, v)
	}
	if v, ok := jobVisibility.Map(visibility); ok {
		b.String(jobsVisibility, v)
	}
	b.OptString(jobsCategory, transform.FirstNonEmpty(j.Function.Label, j.Industry.Label))
	b.OptString(jobsDepartment, j.Department.Label)
	b.OptString(jobsExperienceLevel, j.ExperienceLevel.Label)
	for i := range ads {
		if ads[i].Default {
			b.OptString(jobsPostURL, ads[i].ApplyURL)
			break
		}
	}
	m.sc.text = append(append(m.sc.text[:0], m.appURL...), "/app/jobs/details/"...)
	m.sc.text = append(m.sc.text, j.ID...)
	b.Bytes(jobsRemoteURL, m.sc.text)
	if v, ok := transform.ParseFloatJSON(j.Compensation.Min); ok {
		b.Float(jobsSalaryFrom, v)
	}
	if v, ok := transform.ParseFloatJSON(j.Compensation.Max); ok {
		b.Float(jobsSalaryTo, v)
	}
	b.OptString(jobsSalaryCurrency, j.Compensation.Currency)
	if v, ok := salaryPeriod.Map(j.Compensation.Period); ok {
		b.String(jobsSalaryPeriod, v)
	}
	loc := toLocation(&j.Location)
	b.Location(jobsLocation, &loc)

	// custom_fields {label: value label}, integration_fields one CUSTOM entry per property.
	m.sc.obj.Reset()
	m.sc.js2 = m.sc.js2[:0]
	for i := range j.Properties {
		p := &j.Properties[i]
		var valueLabel string
		if !transform.IsNullJSON(p.Value) {
			var v idLabel
			if err := json.Unmarshal(p.Value, &v); err == nil {
				valueLabel = v.Label
			}
		}
		if valueLabel != "" {
			m.sc.obj.String(transform.FirstNonEmpty(p.Label, p.ID), valueLabel)
		} else {
			m.sc.obj.Null(transform.FirstNonEmpty(p.Label, p.ID))
		}
	}
	m.sc.js = m.sc.obj.AppendTo(m.sc.js[:0])
	b.JSON(jobsCustomFields, m.sc.js)
	m.resetFields()
	for i := range j.Properties {
		p := &j.Properties[i]
		m.addField(transform.IntegrationField{ID: p.ID, Key: p.ID, Type: transform.FieldCustom, Label: p.Label}, p.Value)
	}
	b.IntegrationFields(jobsIntegrationFields, m.fields())

	var opened arrow.Timestamp
	found := false
	for _, e := range hist.Content {
		if e.Status != statusSourcing {
			continue
		}
		if ts, ok := transform.ParseTimestamp(e.ChangedOn); ok && (!found || ts < opened) {
			opened, found = ts, true
		}
	}
	if found {
		b.Timestamp(jobsOpenedAt, opened)
	}
	b.TimestampText(jobsRemoteCreatedAt, j.CreatedOn)
	b.TimestampText(jobsRemoteUpdatedAt, j.UpdatedOn)
	b.JSON(jobsRemoteData, m.remoteData(bodyPart(body, sr.PathJobs), bodyPart(body, sr.PathJob)))
	return b.EndTo(ctx, out)
}

// resetFields starts a new integration_fields list in m.sc.
func (m *Mapper) resetFields() {
	m.sc.fields = m.sc.fields[:0]
	m.sc.spans = m.sc.spans[:0]
	m.sc.fieldBuf = m.sc.fieldBuf[:0]
}

// addField appends f with the value raw compacted (NULL when absent).
func (m *Mapper) addField(f transform.IntegrationField, raw json.RawMessage) {
	sp := span{start: len(m.sc.fieldBuf)}
	if len(raw) > 0 {
		m.sc.fieldBuf = transform.AppendCompactJSON(m.sc.fieldBuf, raw)
		sp.ok = true
	}
	sp.end = len(m.sc.fieldBuf)
	m.sc.fields = append(m.sc.fields, f)
	m.sc.spans = append(m.sc.spans, sp)
}

// fields returns the list built by addField.
func (m *Mapper) fields() []transform.IntegrationField {
	for i, sp := range m.sc.spans {
		if sp.ok {
			m.sc.fields[i].Value = m.sc.fieldBuf[sp.start:sp.end]
		}
	}
	return m.sc.fields
}

func optBytes(b *transform.TableBuilder, col int, bs []byte) {
	if len(bs) == 0 {
		b.Null(col)
	} else {
		b.Bytes(col, bs)
	}
}

// postingRow maps one J4 job ad to job_postings.
func (m *Mapper) postingRow(ctx context.Context, out transform.Emitter, jobID string, ad *jobAd, raw []byte) error {
	b := m.b[tJobPostings]
	b.Begin(ad.ID)
	b.OptString(postingsTitle, ad.Title)
	m.sc.text = appendSections(m.sc.text[:0], &ad.JobAd.Sections)
	optBytes(b, postingsDescriptionHTML, m.sc.text)
	if v, ok := postingStatus.Map(ad.PostingStatus); ok {
		b.String(postingsStatus, v)
	}
	if v, ok := postingVisibility.Map(ad.Visibility); ok {
		b.String(postingsVisibility, v)
	}
	b.OptString(postingsURL, ad.ApplyURL)
	b.Ref(postingsJobID, "jobs", jobID)
	b.JSON(postingsRemoteData, m.remoteData(transform.RemotePart{Path: sr.PathJobAds, Raw: raw}))
	b.TimestampText(postingsRemoteCreatedAt, ad.CreatedOn)
	return b.EndTo(ctx, out)
}

// hiringTeam maps J3: one member per (job, user) in first-appearance order,
// roles = the unified types of its roles in first-assigned order without
// repeats, one assignment per (member, role) whatever the role.
func (m *Mapper) hiringTeam(ctx context.Context, out transform.Emitter, skip transform.Skipper, jobID string, entries []teamEntry) error {
	users := m.sc.strs[:0]
	for _, e := range entries {
		if e.ID == "" {
			m.report(skip, missing("job_hiring_team_members", jobID, sr.PathJobHiringTeam, "id"))
			continue
		}
		if !slices.Contains(users, e.ID) {
			users = append(users, e.ID)
		}
		if e.Role != "" {
			if err := m.jobRole(ctx, e.Role, out); err != nil {
				return err
			}
		}
	}
	m.sc.strs = users
	for _, u := range users {
		unified := m.sc.strs2[:0]
		for _, e := range entries {
			if e.ID != u || e.Role == "" {
				continue
			}
			if t := jobRoleTypes[e.Role]; t != "" && !slices.Contains(unified, t) {
				unified = append(unified, t)
			}
		}
		m.sc.strs2 = unified
		b := m.b[tJobHiringTeamMembers]
		b.BeginBytes(m.key(jobID, u))
		b.Ref(membersJobID, "jobs", jobID)
		b.Ref(membersUserID, "users", u)
		b.StringList(membersRoles, unified)
		if err := b.EndTo(ctx, out); err != nil {
			return err
		}
		for k, e := range entries {
			if e.ID != u || e.Role == "" || slices.ContainsFunc(entries[:k], func(p teamEntry) bool { return p.ID == u && p.Role == e.Role }) {
				continue
			}
			a := m.b[tJobUserRoleAssignments]
			a.BeginBytes(m.key(jobID, u, scopeJob, e.Role))
			a.RefBytes(assignmentsJobUserID, "job_hiring_team_members", m.key(jobID, u))
			a.RefBytes(assignmentsRoleID, "roles", m.key(scopeJob, e.Role))
			if err := a.EndTo(ctx, out); err != nil {
				return err
			}
		}
	}
	return nil
}
