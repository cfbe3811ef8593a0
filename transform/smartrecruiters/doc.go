// Package smartrecruiters maps SmartRecruiters source documents (the
// extract.DocSchema records of extract/smartrecruiters, in its emission order)
// to the 20 unified tables, following the mapping table of
// shared/spec/smartrecruiters.md and the remote ids of
// extract/smartrecruiters/WIRE.md. Value spellings live in rules.go, the
// company-wide stage order in stages.go; rules shared with other sources are
// in package transform.
//
// Points the spec leaves open, and the choice made here:
//   - An empty source string counts as absent: optional text columns are NULL.
//     Unparsable timestamps are NULL.
//   - employment_type maps typeOfEmployment.label (its id when it has no
//     label); an unmatched text is kept as received. salary_period spellings
//     are in rules.go (no plurals: the enum rule drops digits, so "2 weeks"
//     would read as "weeks"). Closed enums with an unknown value are NULL.
//   - JOB and SYSTEM role types match the role string exactly.
//   - application_stages: statuses outside the nine (from a process or an
//     application) follow the nine in byte order, each with its sub-statuses,
//     so current_stage_id and stage_id never dangle.
//   - job_stages are emitted with their job: a job's list depends only on the
//     hiring processes, which come before jobs. A hiringProcessId no process
//     has gives the nine statuses only.
//   - job_screening_questions: a job takes the posting of its default ad, else
//     its first posting in P1 order (linked at Finish); index counts the
//     posting's usable questions (a question without id or repeated takes no
//     place). A posting whose job ad belongs to no job of this run is not
//     linked, unless the ad was seeded (SeedAd: an incremental run seeds
//     the ads of the jobs it does not re-read from the lake).
//   - Incremental runs (seed.go): the pipeline seeds the lake's live stages
//     (SeedStage: they keep their places, global_index does not churn) and
//     tags (SeedTag: a known tag is not emitted again and keeps its stored
//     name; only new tags are emitted).
//   - screening_questions: a question in several postings takes its row from
//     the first; "options" only for select types, "raw_question" only for
//     UNKNOWN (also a question without fields); category EEO when any field's
//     complianceType is DIVERSITY.
//   - custom_fields key a property by its label, else its id; a job property
//     value without label is null. Offer properties are ordered by key in
//     custom_fields and integration_fields; `{}` and `[]` when there are none.
//   - candidates: e-mail from C2, else C1 (trimmed empty: NULL; invalid: []);
//     tags from the C1 item, else C2's; blank tags and blank web links are
//     ignored; social_media is NULL when no link is left.
//   - applications: screening_question_answers is NULL when the document has
//     no C5 reply; a choice/content without values is null, "checked" false.
//   - A C4 entry without changedOn, and an item (job ad, hiring-team entry,
//     question, offer, interview, timeslot, interviewer) without its id, is
//     reported to the Skipper and left out; the rest of the document goes on.
package smartrecruiters
