package smartrecruiters

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/atslake/atslake/extract"
	sr "github.com/atslake/atslake/extract/smartrecruiters"
	"github.com/atslake/atslake/transform"
)

const (
	statusRejected  = "REJECTED"
	declinedBySlot  = "declined"
	interviewsTable = "interviews"
)

// application maps one KindApplication document (C3-C7, I1) to applications,
// application_status_history, offers, interviews and interviewing_team_members.
func (m *Mapper) application(ctx context.Context, d extract.Doc, out transform.Emitter, skip transform.Skipper) error {
	var a applicationDoc
	if err := decode(d.Body, &a, "applications", d.Key, sr.PathApplication); err != nil {
		return err
	}
	candID := transform.FirstNonEmpty(a.CandidateID, a.C3.CandidateID)
	jobID := transform.FirstNonEmpty(a.JobID, a.C3.JobID)
	if candID == "" || jobID == "" {
		return missing("applications", d.Key, sr.PathApplication, "_candidateId and _jobId")
	}
	appKey := candID + ":" + jobID
	var ok bool
	m.sc.raws, ok = elements(m.sc.raws[:0], d.Body, sr.PathScreeningAnswers, len(a.C5.Content))
	if !ok {
		return malformed("applications", appKey, sr.PathScreeningAnswers, errNotArray)
	}
	answers, err := m.buildAnswers(&a.C5, m.sc.raws, appKey)
	if err != nil {
		return err
	}
	if transform.IsNullJSON(transform.Member(d.Body, sr.PathScreeningAnswers)) {
		answers = nil // no C5 reply: NULL, not an empty list
	}
	offersRaw, ok := elements(m.sc.raws[:0], d.Body, sr.PathOffers, len(a.C7.Content))
	m.sc.raws = offersRaw
	if !ok {
		return malformed("applications", appKey, sr.PathOffers, errNotArray)
	}
	ivRaw, ok := elements(m.sc.raws2[:0], d.Body, sr.PathInterviews, len(a.I1.Content))
	m.sc.raws2 = ivRaw
	if !ok {
		return malformed("applications", appKey, sr.PathInterviews, errNotArray)
	}

	// Everything decoded: emit.
	m.stages.noteApplication(a.C3.Status, a.C3.SubStatus)
	for _, e := range a.C4.Content {
		m.stages.noteApplication(e.Status, e.SubStatus)
	}
	if err := m.applicationRow(ctx, out, &a, d.Body, appKey, candID, jobID, answers); err != nil {
		return err
	}
	if err := m.statusHistory(ctx, out, skip, a.C4.Content, appKey); err != nil {
		return err
	}
	for i := range a.C7.Content {
		if err := m.offerRow(ctx, out, skip, &a.C7.Content[i], offersRaw[i], appKey); err != nil {
			return err
		}
	}
	for i := range a.I1.Content {
		if err := m.interviewRows(ctx, out, skip, &a.I1.Content[i], ivRaw[i], appKey); err != nil {
			return err
		}
	}
	return nil
}

var errNotArray = errors.New("content is not an array")

// elements appends the raw items of body[path].content; ok when they are the n items decoded.
func elements(dst [][]byte, body []byte, path string, n int) ([][]byte, bool) {
	content := transform.Member(transform.Member(body, path), "content")
	if transform.IsNullJSON(content) {
		return dst, n == 0
	}
	dst, ok := transform.AppendElements(dst, content)
	return dst, ok && len(dst) == n
}

func (m *Mapper) applicationRow(ctx context.Context, out transform.Emitter, a *applicationDoc, body []byte, appKey, candID, jobID string, answers []transform.Answer) error {
	b := m.b[tApplications]
	b.Begin(appKey)
	if v, ok := outcome.Map(a.C3.Status); ok {
		b.String(appsOutcome, v)
	} else {
		b.String(appsOutcome, outcomePending)
	}
	b.OptString(appsRejectionReasonName, a.C3.ReasonOfRejection.Label)
	var created, updated, rejected arrow.Timestamp
	var haveCreated, haveRejected bool
	for _, e := range a.C4.Content {
		ts, ok := transform.ParseTimestamp(e.ChangedOn)
		if !ok {
			continue
		}
		if !haveCreated || ts < created {
			created = ts
		}
		if !haveCreated || ts > updated {
			updated = ts
		}
		haveCreated = true
		if e.Status == statusRejected && (!haveRejected || ts >= rejected) {
			rejected, haveRejected = ts, true
		}
	}
	if a.C3.Status == statusRejected && haveRejected {
		b.Timestamp(appsRejectedAt, rejected)
	}
	if a.C3.Status != "" {
		m.sc.text = appendStageRemoteID(m.sc.text[:0], a.C3.Status, a.C3.SubStatus)
		b.RefBytes(appsCurrentStageID, "application_stages", m.sc.text)
	}
	b.Ref(appsJobID, "jobs", jobID)
	b.Ref(appsCandidateID, "candidates", candID)
	if answers == nil {
		b.Null(appsAnswers)
	} else {
		b.Answers(appsAnswers, answers)
	}

	// custom_fields {label: valueLabel, else value}; integration_fields one CUSTOM entry per property.
	m.sc.obj.Reset()
	m.resetFields()
	for i := range a.C6.Content {
		p := &a.C6.Content[i]
		key := transform.FirstNonEmpty(p.Label, p.ID)
		if p.ValueLabel != "" {
			m.sc.obj.String(key, p.ValueLabel)
		} else {
			m.sc.obj.Raw(key, p.Value)
		}
		m.addField(transform.IntegrationField{ID: p.ID, Key: p.ID, Type: transform.FieldCustom, Label: p.Label}, p.Value)
	}
	m.sc.js = m.sc.obj.AppendTo(m.sc.js[:0])
	b.JSON(appsCustomFields, m.sc.js)
	b.IntegrationFields(appsIntegrationFields, m.fields())
	b.Bytes(appsRemoteURL, m.candidateURL(candID))
	b.JSON(appsRemoteData, m.remoteData(bodyPart(body, sr.PathApplication), bodyPart(body, sr.PathApplicationHistory),
		bodyPart(body, sr.PathScreeningAnswers), bodyPart(body, sr.PathApplicationProperties)))
	if haveCreated {
		b.Timestamp(appsRemoteCreatedAt, created)
		b.Timestamp(appsRemoteUpdatedAt, updated)
	}
	return b.EndTo(ctx, out)
}

// buildAnswers maps C5 to screening_question_answers (answer texts live in
// m.sc). raws are the raw C5 items, one per decoded item.
func (m *Mapper) buildAnswers(c5 *screeningAnswers, raws [][]byte, appKey string) ([]transform.Answer, error) {
	if m.sc.answers == nil {
		m.sc.answers = make([]transform.Answer, 0, 8) // non-nil: an empty list, not NULL
	}
	m.sc.answers = m.sc.answers[:0]
	m.sc.ansSpans = m.sc.ansSpans[:0]
	buf := m.sc.ansBuf[:0]
	for i := range c5.Content {
		sa := &c5.Content[i]
		records := transform.Member(raws[i], "records")
		typ := strings.ToUpper(strings.TrimSpace(sa.Type))
		var values []idLabel
		switch typ {
		case "RADIO", "SELECT", "TEXT", "TEXTAREA", "CHECKBOX", "ACKNOWLEDGEMENT":
			var ok bool
			if values, ok = appendAnswerValues(m.sc.values[:0], records); !ok {
				return nil, malformed("applications", appKey, sr.PathScreeningAnswers, errors.New("answer "+sa.ID+": records are not [{fields: [{values: [...]}]}]"))
			}
			m.sc.values = values
		}
		start := len(buf)
		var qtype string
		switch typ {
		case "RADIO":
			qtype = answerSingleSelect
			buf = appendChoice(buf, values)
		case "SELECT":
			_, multi := m.multiSelect[sa.ID]
			if multi || len(values) > 1 {
				qtype = answerMultiSelect
				buf = append(buf, `{"choices":[`...)
				for k, v := range values {
					if k > 0 {
						buf = append(buf, ',')
					}
					buf = transform.AppendJSONString(buf, v.Label)
				}
				buf = append(buf, "]}"...)
			} else {
				qtype = answerSingleSelect
				buf = appendChoice(buf, values)
			}
		case "TEXT", "TEXTAREA":
			qtype = answerText
			buf = append(buf, `{"content":`...)
			if len(values) > 0 {
				buf = transform.AppendJSONString(buf, values[0].Label)
			} else {
				buf = append(buf, "null"...)
			}
			buf = append(buf, '}')
		case "CHECKBOX", "ACKNOWLEDGEMENT":
			qtype = answerBoolean
			checked := len(values) > 0 && isTruthy(transform.FirstNonEmpty(values[0].ID, values[0].Label))
			buf = append(buf, `{"checked":`...)
			buf = strconv.AppendBool(buf, checked)
			buf = append(buf, '}')
		default:
			qtype = answerUnknown
			buf = append(buf, `{"raw":`...)
			if len(records) == 0 {
				buf = append(buf, "null"...)
			} else {
				buf = transform.AppendCompactJSON(buf, records)
			}
			buf = append(buf, '}')
		}
		m.sc.ansSpans = append(m.sc.ansSpans, span{start: start, end: len(buf), ok: true})
		m.sc.answers = append(m.sc.answers, transform.Answer{
			QuestionID:       m.questionLakeID(sa.ID),
			QuestionRemoteID: sa.ID,
			QuestionTitle:    transform.FirstNonEmpty(sa.Label, sa.Name),
			QuestionType:     qtype,
		})
	}
	m.sc.ansBuf = buf
	for i, sp := range m.sc.ansSpans {
		m.sc.answers[i].Answer = buf[sp.start:sp.end]
	}
	return m.sc.answers, nil
}

// appendAnswerValues appends "the answer's values": the values of every field
// of every record, in order. ok=false when records is neither absent/null nor
// of the shape [{fields: [{values: [{id, label}]}]}].
func appendAnswerValues(dst []idLabel, records []byte) ([]idLabel, bool) {
	if transform.IsNullJSON(records) {
		return dst, true
	}
	bad := false
	each := func(raw []byte, fn func([]byte) bool) {
		if !bad && !transform.IsNullJSON(raw) && !transform.EachElement(raw, fn) {
			bad = true
		}
	}
	each(records, func(rec []byte) bool {
		each(transform.Member(rec, "fields"), func(f []byte) bool {
			each(transform.Member(f, "values"), func(v []byte) bool {
				id, _ := transform.JSONStringValue(transform.Member(v, "id"))
				label, _ := transform.JSONStringValue(transform.Member(v, "label"))
				dst = append(dst, idLabel{ID: id, Label: label})
				return true
			})
			return !bad
		})
		return !bad
	})
	return dst, !bad
}

// appendChoice appends {"choice": first value's label} (null without values).
func appendChoice(buf []byte, values []idLabel) []byte {
	buf = append(buf, `{"choice":`...)
	if len(values) > 0 {
		buf = transform.AppendJSONString(buf, values[0].Label)
	} else {
		buf = append(buf, "null"...)
	}
	return append(buf, '}')
}

// questionLakeID returns the lake id of a screening question (cached: questions are few).
func (m *Mapper) questionLakeID(qid string) string {
	if qid == "" {
		return ""
	}
	if id, ok := m.qids[qid]; ok {
		return id
	}
	id := transform.ID(m.conn, "screening_questions", qid)
	if len(m.qids) < maxCachedQuestionIDs {
		m.qids[qid] = id
	}
	return id
}

// maxCachedQuestionIDs bounds the question-id cache (question ids are a small,
// company-wide set; the bound only guards against a pathological source).
const maxCachedQuestionIDs = 100_000

// statusHistory maps C4: one row per entry, remote_id <app>:<changedOn as
// received>, "#<n>" appended for the n-th (n >= 2) entry sharing it, in source order.
func (m *Mapper) statusHistory(ctx context.Context, out transform.Emitter, skip transform.Skipper, entries []statusEntry, appKey string) error {
	b := m.b[tApplicationStatusHistory]
	for i, e := range entries {
		if e.ChangedOn == "" {
			m.report(skip, missing("application_status_history", appKey, sr.PathApplicationHistory, "changedOn"))
			continue
		}
		n := 1
		for _, p := range entries[:i] {
			if p.ChangedOn == e.ChangedOn {
				n++
			}
		}
		k := m.key(appKey, e.ChangedOn)
		if n >= 2 {
			k = append(k, '#')
			k = strconv.AppendInt(k, int64(n), 10)
			m.sc.key = k
		}
		b.BeginBytes(k)
		b.Ref(historyApplicationID, "applications", appKey)
		if e.Status != "" {
			m.sc.text = appendStageRemoteID(m.sc.text[:0], e.Status, e.SubStatus)
			b.RefBytes(historyStageID, "application_stages", m.sc.text)
		}
		b.OptString(historyStatus, e.Status)
		b.OptString(historySubStatus, e.SubStatus)
		b.TimestampText(historyEnteredAt, e.ChangedOn)
		if err := b.EndTo(ctx, out); err != nil {
			return err
		}
	}
	return nil
}

// offerRow maps one C7 item.
func (m *Mapper) offerRow(ctx context.Context, out transform.Emitter, skip transform.Skipper, o *offer, raw []byte, appKey string) error {
	if o.ID == "" {
		m.report(skip, missing("offers", appKey, sr.PathOffers, "id"))
		return nil
	}
	// properties: {key: value}; a key repeated keeps its last value (as encoding/json).
	props := m.sc.members[:0]
	if p := transform.Member(raw, "properties"); !transform.IsNullJSON(p) {
		if !transform.EachMember(p, func(k, v []byte) bool {
			props = append(props, rawMember{key: transform.MemberKey(k), value: v})
			return true
		}) {
			m.report(skip, malformed("offers", o.ID, sr.PathOffers, errors.New("properties is not an object")))
			return nil
		}
	}
	slices.SortStableFunc(props, func(a, b rawMember) int { return strings.Compare(a.key, b.key) })
	n := 0
	for _, p := range props {
		if n > 0 && props[n-1].key == p.key {
			props[n-1] = p
			continue
		}
		props[n] = p
		n++
	}
	props = props[:n]
	m.sc.members = props
	b := m.b[tOffers]
	b.Begin(o.ID)
	if v, ok := offerStatus.Map(o.Status); ok {
		b.String(offersStatus, v)
	}
	b.Ref(offersApplicationID, "applications", appKey)
	// custom_fields = the properties (keys sorted); integration_fields one CUSTOM
	// entry per property in key order, id = key = label = the property key.
	m.sc.obj.Reset()
	m.resetFields()
	for _, p := range props {
		m.sc.obj.Raw(p.key, p.value)
		m.addField(transform.IntegrationField{ID: p.key, Key: p.key, Type: transform.FieldCustom, Label: p.key}, p.value)
	}
	m.sc.js = m.sc.obj.AppendTo(m.sc.js[:0])
	b.JSON(offersCustomFields, m.sc.js)
	b.IntegrationFields(offersIntegrationFields, m.fields())
	b.TimestampText(offersRemoteCreatedAt, o.CreatedOn)
	b.TimestampText(offersRemoteUpdatedAt, o.UpdatedOn)
	b.JSON(offersRemoteData, m.remoteData(transform.RemotePart{Path: sr.PathOffers, Raw: raw}))
	return b.EndTo(ctx, out)
}

// interviewRows maps one I1 interview: one interviews row per timeslot
// (remote_id <interviewId>/<timeslotId>) and one interviewing_team_members row
// per interviewer of the timeslot.
func (m *Mapper) interviewRows(ctx context.Context, out transform.Emitter, skip transform.Skipper, iv *interview, raw []byte, appKey string) error {
	if iv.ID == "" {
		m.report(skip, missing(interviewsTable, appKey, sr.PathInterviews, "id"))
		return nil
	}
	ivLocation := ""
	if s, ok := transform.JSONStringValue(iv.Location); ok {
		ivLocation = s
	} else if !transform.IsNullJSON(iv.Location) {
		ivLocation = string(transform.AppendCompactJSON(nil, iv.Location))
	}
	for i := range iv.Timeslots {
		ts := &iv.Timeslots[i]
		if ts.ID == "" {
			m.report(skip, missing(interviewsTable, iv.ID, sr.PathInterviews, "timeslots[].id"))
			continue
		}
		rid := iv.ID + "/" + ts.ID
		b := m.b[tInterviews]
		b.Begin(rid)
		b.OptString(interviewsTitle, transform.FirstNonEmpty(ts.Title, ts.InterviewType))
		b.TimestampText(interviewsStartingAt, ts.StartsOn)
		b.TimestampText(interviewsEndingAt, ts.EndsOn)
		b.Location(interviewsLocation, &transform.Location{Raw: transform.FirstNonEmpty(ts.Place, ivLocation)})
		b.Ref(interviewsApplicationID, "applications", appKey)
		b.Bool(interviewsCanceled, strings.EqualFold(strings.TrimSpace(ts.CandidateStatus), declinedBySlot))
		b.JSON(interviewsRemoteData, m.remoteData(transform.RemotePart{Path: sr.PathInterviews, Raw: raw}))
		if err := b.EndTo(ctx, out); err != nil {
			return err
		}
		for k, who := range ts.Interviewers {
			if who.ID == "" {
				m.report(skip, missing("interviewing_team_members", rid, sr.PathInterviews, "interviewers[].id"))
				continue
			}
			if slices.ContainsFunc(ts.Interviewers[:k], func(p interviewer) bool { return p.ID == who.ID }) {
				continue
			}
			t := m.b[tInterviewingTeamMembers]
			t.BeginBytes(m.key(rid, who.ID))
			t.Ref(itmInterviewID, interviewsTable, rid)
			t.Ref(itmUserID, "users", who.ID)
			if err := t.EndTo(ctx, out); err != nil {
				return err
			}
		}
	}
	return nil
}
