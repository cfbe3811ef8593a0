package smartrecruiters

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/atslake/atslake/extract"
	sr "github.com/atslake/atslake/extract/smartrecruiters"
	"github.com/atslake/atslake/transform"
)

// posting maps one KindPosting document (P1 item + P2): every question is a
// screening_questions row (the first posting naming a question id decides
// its row), and the questions become the job's job_screening_questions via
// jobAdId -> job ad -> job, index = the 0-based position among the posting's
// usable questions (a question without id, or repeated, takes no place). A job with several postings takes the one of its
// default ad; without one, the first of its postings in P1 order (at Finish).
func (m *Mapper) posting(ctx context.Context, d extract.Doc, out transform.Emitter, skip transform.Skipper) error {
	var doc postingDoc
	if err := decode(d.Body, &doc, "screening_questions", d.Key, sr.PathPostingConfiguration); err != nil {
		return err
	}
	p := &doc.P1
	if p.ID == "" {
		return missing("screening_questions", d.Key, sr.PathPostings, "id")
	}
	qs := doc.P2.Questions
	qsRaw, _ := transform.AppendElements(m.sc.raws[:0], transform.Member(transform.Member(d.Body, sr.PathPostingConfiguration), "questions"))
	m.sc.raws = qsRaw
	if len(qsRaw) != len(qs) {
		return malformed("screening_questions", p.ID, sr.PathPostingConfiguration, errors.New("questions not an array"))
	}

	var links []jsqLink
	for i := range qs {
		q := &qs[i]
		if q.ID == "" {
			m.report(skip, missing("screening_questions", p.ID, sr.PathPostingConfiguration, "questions[].id"))
			continue
		}
		if len(q.Fields) > 0 && strings.EqualFold(q.Fields[0].Type, p2MultiSelect) {
			m.multiSelect[q.ID] = struct{}{}
		}
		if _, done := m.questions[q.ID]; !done {
			m.questions[q.ID] = struct{}{}
			if err := m.questionRow(ctx, out, q, qsRaw[i]); err != nil {
				return err
			}
		}
		if slices.ContainsFunc(links, func(l jsqLink) bool { return l.questionID == q.ID }) {
			continue
		}
		required := slices.ContainsFunc(q.Fields, func(f questionField) bool { return f.Required })
		links = append(links, jsqLink{questionID: q.ID, index: len(links), required: required})
	}

	ref, ok := m.adOf(p.JobAdID)
	if !ok {
		return nil // the ad's job was neither read in this run nor seeded: no link can be made
	}
	if _, linked := m.jsqLinked[ref.jobID]; linked {
		return nil
	}
	if !ref.isDefault {
		if _, pending := m.jsqPending[ref.jobID]; !pending {
			m.jsqPending[ref.jobID] = links
		}
		return nil
	}
	m.jsqLinked[ref.jobID] = struct{}{}
	delete(m.jsqPending, ref.jobID)
	return m.jobQuestions(ctx, out, ref.jobID, links)
}

// emitPendingJobQuestions links the jobs whose postings are all of non-default ads.
func (m *Mapper) emitPendingJobQuestions(ctx context.Context, out transform.Emitter) error {
	jobs := make([]string, 0, len(m.jsqPending))
	for j := range m.jsqPending {
		jobs = append(jobs, j)
	}
	slices.Sort(jobs)
	for _, j := range jobs {
		if err := m.jobQuestions(ctx, out, j, m.jsqPending[j]); err != nil {
			return err
		}
		delete(m.jsqPending, j)
		m.jsqLinked[j] = struct{}{}
	}
	return nil
}

func (m *Mapper) jobQuestions(ctx context.Context, out transform.Emitter, jobID string, links []jsqLink) error {
	b := m.b[tJobScreeningQuestions]
	for _, l := range links {
		b.BeginBytes(m.key(jobID, l.questionID))
		b.Ref(jsqJobID, "jobs", jobID)
		b.Ref(jsqQuestionID, "screening_questions", l.questionID)
		b.Int(jsqIndex, int64(l.index))
		b.Bool(jsqRequired, l.required)
		b.Null(jsqPreconditionQuestion)
		b.Null(jsqPreconditionOptions)
		if err := b.EndTo(ctx, out); err != nil {
			return err
		}
	}
	return nil
}

// questionRow maps one P2 question: title = label, format from the first
// field's type, category EEO when a field's complianceType is DIVERSITY.
func (m *Mapper) questionRow(ctx context.Context, out transform.Emitter, q *question, raw []byte) error {
	b := m.b[tScreeningQuestions]
	b.Begin(q.ID)
	b.OptString(questionsTitle, q.Label)
	b.Null(questionsDescription)
	m.sc.js = m.appendFormat(m.sc.js[:0], q, raw)
	b.JSON(questionsFormat, m.sc.js)
	if slices.ContainsFunc(q.Fields, func(f questionField) bool { return strings.EqualFold(f.ComplianceType, complianceDiversity) }) {
		b.String(questionsCategory, categoryEEO)
	}
	return b.EndTo(ctx, out)
}

// appendFormat appends the format JSON: {"type", "display_type" (when the type
// has one), "options" (select types: [{"id": null, "name": label, "remote_id":
// value id}] in source order), "raw_question" (UNKNOWN: the question as received)}.
func (m *Mapper) appendFormat(dst []byte, q *question, raw []byte) []byte {
	typ, display := answerUnknown, ""
	var first *questionField
	if len(q.Fields) > 0 {
		first = &q.Fields[0]
		if f, ok := questionFormat[strings.ToUpper(first.Type)]; ok {
			typ, display = f[0], f[1]
		}
	}
	o := &m.sc.obj2
	o.Reset()
	o.String("type", typ)
	if display != "" {
		o.String("display_type", display)
	}
	if typ == answerSingleSelect || typ == answerMultiSelect {
		opts := append(m.sc.js2[:0], '[')
		for i, v := range first.Values {
			if i > 0 {
				opts = append(opts, ',')
			}
			opts = append(opts, `{"id":null,"name":`...)
			opts = appendOptString(opts, v.Label)
			opts = append(opts, `,"remote_id":`...)
			opts = appendOptString(opts, v.ID)
			opts = append(opts, '}')
		}
		opts = append(opts, ']')
		m.sc.js2 = opts
		o.Raw("options", opts)
	}
	if typ == answerUnknown {
		o.Raw("raw_question", raw)
	}
	return o.AppendTo(dst)
}

// appendOptString appends s as a JSON string, or null when empty.
func appendOptString(dst []byte, s string) []byte {
	if s == "" {
		return append(dst, "null"...)
	}
	return transform.AppendJSONString(dst, s)
}
