package bench

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/duckdb/duckdb-go/v2" // database/sql driver "duckdb"

	"github.com/atslake/atslake/load"
)

// duckTable is one unified table DuckDB builds from the dump: a SELECT over
// read_json of the connector's NDJSON files projecting the table's main
// columns the way our mapping does (lake ids hashed with SHA-256 of
// connection 0x00 table 0x00 remote_id, hex instead of base58; timestamps
// parsed; nested lists and structs built; remote_data as JSON text), sorted
// by id like our files.
type duckTable struct {
	connector, table, kind string
	sql                    string // {src} is the read_json call, {c} the connection id as a literal
}

// duckTables is DuckDB's side of the comparison. Placeholders: {src} the
// document's read_json call, {c} the connection literal.
var duckTables = []duckTable{
	{SmartRecruiters, "users", "user", `
SELECT lake_id({c}, 'users', u.id) AS id, u.id AS remote_id, u.firstName AS first_name, u.lastName AS last_name,
  CASE WHEN regexp_full_match(trim(u.email), '[^@\s]+@[^@\s]+\.[^@\s]+') THEN trim(u.email) END AS email,
  CASE WHEN u.active THEN 'ACTIVE' ELSE 'INACTIVE' END AS status, to_json(d) AS remote_data
FROM (SELECT d."/user-api/v201804/users" AS u, d FROM {src} d)`},
	{SmartRecruiters, "jobs", "job", `
SELECT lake_id({c}, 'jobs', j.id) AS id, j.id AS remote_id, j.title AS name, j.refNumber AS job_code,
  j.jobAd.sections.jobDescription.text AS description, coalesce(j.typeOfEmployment.label, j.typeOfEmployment.id) AS employment_type,
  j.status AS status, j.postingStatus AS visibility, j.function.label AS category, j.department.label AS department,
  j.experienceLevel.label AS experience_level, j.actions.applyOnWeb.url AS post_url,
  'https://www.smartrecruiters.com/app/jobs/details/' || j.id AS remote_url,
  TRY_CAST(j.compensation.min AS DOUBLE) AS salary_amount_from, TRY_CAST(j.compensation.max AS DOUBLE) AS salary_amount_to,
  j.compensation.currency AS salary_currency, upper(j.compensation.period) AS salary_period,
  struct_pack(city := j.location.city, country := upper(j.location.countryCode), raw := j.location.address,
    state := j.location.region, street_1 := NULL::VARCHAR, street_2 := NULL::VARCHAR, zip_code := j.location.postalCode) AS location,
  to_json(j.properties) AS custom_fields,
  TRY_CAST(j.createdOn AS TIMESTAMPTZ) AS remote_created_at, TRY_CAST(j.updatedOn AS TIMESTAMPTZ) AS remote_updated_at,
  to_json(d) AS remote_data
FROM (SELECT d."/jobs/{jobId}" AS j, d FROM {src} d)`},
	{SmartRecruiters, "job_postings", "job", `
SELECT lake_id({c}, 'job_postings', ad.id) AS id, ad.id AS remote_id, ad.title AS title,
  ad.jobAd.sections.jobDescription.text AS description_html, ad.postingStatus AS status, ad.visibility AS visibility,
  ad.applyUrl AS url, lake_id({c}, 'jobs', jid) AS job_id, to_json(ad) AS remote_data, TRY_CAST(ad.createdOn AS TIMESTAMPTZ) AS remote_created_at
FROM (SELECT d."/jobs".id AS jid, unnest(d."/jobs/{jobId}/jobads") AS ad FROM {src} d)`},
	{SmartRecruiters, "job_hiring_team_members", "job", `
SELECT lake_id({c}, 'job_hiring_team_members', jid || ':' || m.id) AS id, jid || ':' || m.id AS remote_id,
  lake_id({c}, 'jobs', jid) AS job_id, lake_id({c}, 'users', m.id) AS user_id, list_sort(list_distinct(list(m.role))) AS roles
FROM (SELECT d."/jobs".id AS jid, unnest(d."/jobs/{jobId}/hiring-team".content) AS m FROM {src} d)
GROUP BY jid, m.id`},
	{SmartRecruiters, "candidates", "candidate", `
SELECT lake_id({c}, 'candidates', c.id) AS id, c.id AS remote_id, c.firstName AS first_name, c.lastName AS last_name,
  list_filter(c.experience, e -> e.current)[1].company AS company, list_filter(c.experience, e -> e.current)[1].title AS title,
  c.primaryAssignment.source AS source,
  CASE WHEN c.phoneNumber IS NOT NULL THEN [struct_pack(phone_number := c.phoneNumber, type := NULL::VARCHAR)] END AS phone_numbers,
  CASE WHEN c.email IS NULL THEN NULL WHEN regexp_full_match(trim(c.email), '[^@\s]+@[^@\s]+\.[^@\s]+')
    THEN [struct_pack(email_address := trim(c.email), type := NULL::VARCHAR)] ELSE [] END AS email_addresses,
  list_filter([struct_pack(link := w->>'$.linkedin', type := 'LINKEDIN', username := NULL::VARCHAR),
    struct_pack(link := w->>'$.facebook', type := 'FACEBOOK', username := NULL::VARCHAR),
    struct_pack(link := w->>'$.twitter', type := 'TWITTER', username := NULL::VARCHAR),
    struct_pack(link := w->>'$.website', type := 'WEBSITE', username := NULL::VARCHAR)], s -> coalesce(trim(s.link), '') <> '') AS social_media,
  struct_pack(city := c.location.city, country := upper(c.location.countryCode), raw := c.location.address,
    state := c.location.region, street_1 := NULL::VARCHAR, street_2 := NULL::VARCHAR, zip_code := c.location.postalCode) AS location,
  'https://www.smartrecruiters.com/app/people/candidates/' || c.id AS remote_url,
  TRY_CAST(c.createdOn AS TIMESTAMPTZ) AS remote_created_at, TRY_CAST(c.updatedOn AS TIMESTAMPTZ) AS remote_updated_at,
  to_json(d) AS remote_data
FROM (SELECT d."/candidates/{id}" AS c, to_json(d."/candidates/{id}".web) AS w, d FROM {src} d)`},
	{SmartRecruiters, "candidate_tags", "candidate", `
SELECT DISTINCT ON (id) lake_id({c}, 'candidate_tags', cid || ':' || lower(trim(tag))) AS id, cid || ':' || lower(trim(tag)) AS remote_id,
  lake_id({c}, 'candidates', cid) AS candidate_id, lake_id({c}, 'tags', lower(trim(tag))) AS tag_id
FROM (SELECT d."/candidates".id AS cid, unnest(d."/candidates".tags) AS tag FROM {src} d)
WHERE trim(tag) <> ''`},
	{SmartRecruiters, "applications", "application", `
SELECT lake_id({c}, 'applications', k) AS id, k AS remote_id,
  CASE a.status WHEN 'HIRED' THEN 'HIRED' WHEN 'REJECTED' THEN 'DECLINED' WHEN 'WITHDRAWN' THEN 'DECLINED' ELSE 'PENDING' END AS outcome,
  a.reasonOfRejection.label AS rejection_reason_name,
  list_max(list_transform(list_filter(h.content, e -> e.status = 'REJECTED'), e -> TRY_CAST(e.changedOn AS TIMESTAMPTZ))) AS rejected_at,
  lake_id({c}, 'application_stages', a.status || coalesce('/' || a.subStatus, '')) AS current_stage_id,
  lake_id({c}, 'jobs', d._jobId) AS job_id, lake_id({c}, 'candidates', d._candidateId) AS candidate_id,
  list_transform(q.content, x -> struct_pack(question_id := lake_id({c}, 'screening_questions', x.id), question_remote_id := x.id,
    question_title := x.label, question_type := upper(x.type),
    answer := to_json(flatten(list_transform(x.records, r -> flatten(list_transform(r.fields, f -> f.values)))))::VARCHAR)) AS screening_question_answers,
  to_json(p.content) AS custom_fields,
  'https://www.smartrecruiters.com/app/people/candidates/' || d._candidateId || '/jobs/' || d._jobId AS remote_url,
  to_json(d) AS remote_data,
  TRY_CAST(a.createdOn AS TIMESTAMPTZ) AS remote_created_at,
  list_max(list_transform(h.content, e -> TRY_CAST(e.changedOn AS TIMESTAMPTZ))) AS remote_updated_at
FROM (SELECT d._candidateId || ':' || d._jobId AS k, d."/candidates/{id}/jobs/{jobId}" AS a,
  d."/candidates/{id}/jobs/{jobId}/status/history" AS h, d."/candidates/{id}/jobs/{jobId}/screening-answers" AS q,
  d."/candidates/{id}/jobs/{jobId}/properties" AS p, d FROM {src} d)`},
	{SmartRecruiters, "application_status_history", "application", `
SELECT lake_id({c}, 'application_status_history', k || ':' || e.changedOn) AS id, k || ':' || e.changedOn AS remote_id,
  lake_id({c}, 'applications', k) AS application_id,
  lake_id({c}, 'application_stages', e.status || coalesce('/' || e.subStatus, '')) AS stage_id,
  e.status AS status, e.subStatus AS sub_status, TRY_CAST(e.changedOn AS TIMESTAMPTZ) AS entered_at
FROM (SELECT d._candidateId || ':' || d._jobId AS k, unnest(d."/candidates/{id}/jobs/{jobId}/status/history".content) AS e FROM {src} d)`},
	{SmartRecruiters, "offers", "application", `
SELECT lake_id({c}, 'offers', o.id) AS id, o.id AS remote_id,
  CASE o.status WHEN 'ACCEPTED' THEN 'ACCEPTED' WHEN 'NOT_ACCEPTED' THEN 'DECLINED' WHEN 'PENDING_ACCEPTANCE' THEN 'SENT'
    WHEN 'APPROVED' THEN 'APPROVED' WHEN 'ABANDONED' THEN 'ABANDONED' ELSE 'DRAFT' END AS status,
  lake_id({c}, 'applications', k) AS application_id, to_json(o.properties) AS custom_fields,
  TRY_CAST(o.createdOn AS TIMESTAMPTZ) AS remote_created_at, TRY_CAST(o.updatedOn AS TIMESTAMPTZ) AS remote_updated_at,
  to_json(o) AS remote_data
FROM (SELECT d._candidateId || ':' || d._jobId AS k, unnest(d."/candidates/{id}/jobs/{jobId}/offers".content) AS o FROM {src} d)`},
	{SmartRecruiters, "interviews", "application", `
SELECT lake_id({c}, 'interviews', iv.id || '/' || ts.id) AS id, iv.id || '/' || ts.id AS remote_id, ts.title AS title,
  TRY_CAST(ts.startsOn AS TIMESTAMPTZ) AS starting_at, TRY_CAST(ts.endsOn AS TIMESTAMPTZ) AS ending_at,
  struct_pack(city := NULL::VARCHAR, country := NULL::VARCHAR, raw := coalesce(ts.place, iv.location), state := NULL::VARCHAR,
    street_1 := NULL::VARCHAR, street_2 := NULL::VARCHAR, zip_code := NULL::VARCHAR) AS location,
  lake_id({c}, 'applications', k) AS application_id, ts.candidateStatus = 'declined' AS canceled, to_json(iv) AS remote_data
FROM (SELECT k, iv, unnest(iv.timeslots) AS ts FROM
  (SELECT d._candidateId || ':' || d._jobId AS k, unnest(d."/interviews-api/v201904/interviews".content) AS iv FROM {src} d))`},
	{Phenom, "jobs", "job", `
SELECT lake_id({c}, 'jobs', j.jobId) AS id, j.jobId AS remote_id, j.title AS name, j.reqId AS job_code, j.description AS description,
  CASE WHEN lower(j.type) LIKE '%full%' THEN 'FULL_TIME' WHEN lower(j.type) LIKE '%part%' THEN 'PART_TIME'
    WHEN lower(j.type) LIKE '%contract%' OR lower(j.type) LIKE '%temporary%' THEN 'CONTRACT'
    WHEN lower(j.type) LIKE '%intern%' THEN 'INTERNSHIP' ELSE j.type END AS employment_type,
  CASE j.status WHEN 'Open' THEN 'OPEN' WHEN 'Closed' THEN 'CLOSED' ELSE j.status END AS status,
  CASE j.siteType WHEN 'external' THEN 'PUBLIC' WHEN 'internal' THEN 'INTERNAL' END AS visibility,
  j.category AS category, j.department AS department, j.applyUrl AS post_url,
  struct_pack(city := j.city, country := j.country, raw := j.location, state := j.state,
    street_1 := NULL::VARCHAR, street_2 := NULL::VARCHAR, zip_code := j.postalCode) AS location,
  TRY_CAST(j.postedDate AS TIMESTAMPTZ) AS opened_at, TRY_CAST(j.dateCreated AS TIMESTAMPTZ) AS remote_created_at,
  to_json(d) AS remote_data
FROM (SELECT d."/jobs-api/v1/jobs" AS j, d FROM {src} d)
QUALIFY row_number() OVER (PARTITION BY j.jobId ORDER BY j.locale = 'en_US' DESC) = 1`},
	{Phenom, "users", "job", `
SELECT lake_id({c}, 'users', e) AS id, e AS remote_id, any_value(n) AS first_name, lower(e) AS email
FROM (SELECT lower(trim(d."/jobs-api/v1/jobs".hiringManagerEmail)) AS e, d."/jobs-api/v1/jobs".hiringManagerName AS n FROM {src} d
  UNION ALL SELECT lower(trim(r.recruiterEmail)), r.recruiterName FROM (SELECT unnest(d."/jobs-api/v1/jobs".multiRecruiter) AS r FROM {src} d))
WHERE coalesce(e, '') <> '' GROUP BY e`},
	{Phenom, "applications", "application", `
SELECT lake_id({c}, 'applications', a.applicationId) AS id, a.applicationId AS remote_id,
  CASE a.hiringStatus WHEN 'Hired' THEN 'HIRED' WHEN 'Rejected' THEN 'DECLINED' WHEN 'Withdrawn' THEN 'DECLINED' ELSE 'PENDING' END AS outcome,
  lake_id({c}, 'jobs', a.jobId) AS job_id, lake_id({c}, 'candidates', coalesce(a.candidateData.candidateId, a.candidateId)) AS candidate_id,
  to_json(d) AS remote_data, TRY_CAST(a.appliedDate AS TIMESTAMPTZ) AS remote_created_at, TRY_CAST(a.updatedDate AS TIMESTAMPTZ) AS remote_updated_at
FROM (SELECT d."/apply/v2/applications" AS a, d FROM {src} d)`},
	{Phenom, "candidates", "application", `
SELECT lake_id({c}, 'candidates', cid) AS id, cid AS remote_id, a.candidateData.firstName AS first_name, a.candidateData.lastName AS last_name,
  a.candidateData.currentCompany AS company, a.candidateData.currentJobTitle AS title, a.source AS source,
  CASE WHEN a.candidateData.contactData.phoneNumber IS NOT NULL THEN [struct_pack(phone_number :=
    coalesce(a.candidateData.contactData.countryPhoneCode, '') || a.candidateData.contactData.phoneNumber, type := NULL::VARCHAR)] END AS phone_numbers,
  CASE WHEN a.candidateData.contactData.email IS NOT NULL THEN [struct_pack(email_address := trim(a.candidateData.contactData.email), type := NULL::VARCHAR)] END AS email_addresses,
  struct_pack(city := a.candidateData.contactData.city, country := a.candidateData.contactData.country, raw := NULL::VARCHAR,
    state := a.candidateData.contactData.state, street_1 := NULL::VARCHAR, street_2 := NULL::VARCHAR,
    zip_code := a.candidateData.contactData.zipCode) AS location,
  to_json(d) AS remote_data, TRY_CAST(a.updatedDate AS TIMESTAMPTZ) AS remote_updated_at
FROM (SELECT d."/apply/v2/applications" AS a, coalesce(d."/apply/v2/applications".candidateData.candidateId, d."/apply/v2/applications".candidateId) AS cid, d FROM {src} d)
WHERE cid IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY cid ORDER BY TRY_CAST(a.updatedDate AS TIMESTAMPTZ) DESC NULLS LAST, a.applicationId DESC) = 1`},
}

type duckResult struct {
	secs   float64
	rows   int64
	tables []string
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// duckConvert has DuckDB convert the dump's NDJSON files to one zstd
// Parquet file per (connector, table) of duckTables, sorted by id, and times it.
func duckConvert(ctx context.Context, d *dump, dir string) (*duckResult, error) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, `CREATE MACRO lake_id(c, t, r) AS sha256(c || chr(0) || t || chr(0) || r)`); err != nil {
		return nil, fmt.Errorf("macro: %w", err)
	}
	res := &duckResult{}
	start := time.Now()
	for _, t := range duckTables {
		if !d.has(t.connector, t.kind) {
			continue
		}
		out := filepath.Join(dir, t.connector, t.table+".parquet")
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return nil, err
		}
		q := strings.NewReplacer("{src}", "read_json("+quote(d.kindFile(t.connector, t.kind))+")", "{c}", quote(connID(t.connector))).Replace(t.sql)
		stmt := fmt.Sprintf("COPY (%s\nORDER BY id) TO %s (FORMAT parquet, COMPRESSION zstd)", q, quote(out))
		var n int64
		if err := db.QueryRowContext(ctx, stmt).Scan(&n); err != nil {
			return nil, fmt.Errorf("%s %s: %w", t.connector, t.table, err)
		}
		res.rows += n
		res.tables = append(res.tables, t.connector+"."+t.table)
	}
	res.secs = time.Since(start).Seconds()
	return res, nil
}

// Questions are the three typical questions timed on the lake and on native tables.
var Questions = []struct{ Name, SQL string }{
	{"applications per stage per job", `SELECT j.name AS job, s.name AS stage, count(*) AS applications
FROM applications a
JOIN application_stages s ON s.id = a.current_stage_id AND s.connection = a.connection
JOIN jobs j ON j.id = a.job_id AND j.connection = a.connection
WHERE a.remote_deleted_at IS NULL
GROUP BY ALL ORDER BY ALL`},
	{"time to hire by department", `SELECT j.department, count(*) AS hires,
  median(epoch(a.remote_updated_at) - epoch(a.remote_created_at)) / 86400 AS median_days
FROM applications a JOIN jobs j ON j.id = a.job_id AND j.connection = a.connection
WHERE a.outcome = 'HIRED' AND a.remote_created_at IS NOT NULL
GROUP BY ALL ORDER BY ALL`},
	{"open jobs per recruiter", `SELECT u.email, m.connection, count(DISTINCT j.id) AS open_jobs
FROM job_hiring_team_members m
JOIN users u ON u.id = m.user_id AND u.connection = m.connection
JOIN jobs j ON j.id = m.job_id AND j.connection = m.connection
WHERE list_contains(m.roles, 'RECRUITER') AND j.status = 'OPEN'
  AND m.remote_deleted_at IS NULL AND j.remote_deleted_at IS NULL
GROUP BY ALL ORDER BY ALL`},
}

// questionTables are the tables the questions read.
var questionTables = []string{"applications", "application_stages", "jobs", "job_hiring_team_members", "users"}

// compareQueries times every question on the lake (through its catalog's
// views over the Parquet files) and on the same rows loaded into native
// tables of an in-memory DuckDB; each query's best of repeats counts.
func compareQueries(ctx context.Context, lake string, repeats int) ([]QueryTime, error) {
	if err := load.EnsureCatalog(ctx, lake); err != nil {
		return nil, err
	}
	ldb, err := load.OpenCatalog(ctx, lake)
	if err != nil {
		return nil, err
	}
	defer ldb.Close()
	ndb, err := sql.Open("duckdb", "")
	if err != nil {
		return nil, err
	}
	defer ndb.Close()
	ndb.SetMaxOpenConns(1)
	if _, err := ndb.ExecContext(ctx, "SET TimeZone = 'UTC'"); err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(lake)
	if err != nil {
		return nil, err
	}
	for _, t := range questionTables {
		stmt := fmt.Sprintf(`CREATE TABLE %s AS SELECT * FROM read_parquet(%s, hive_partitioning=true, hive_types={'connection': VARCHAR}, union_by_name=true) WHERE connection <> '_schema'`,
			t, quote(filepath.ToSlash(filepath.Join(abs, t, "*", "*.parquet"))))
		if _, err := ndb.ExecContext(ctx, stmt); err != nil {
			return nil, fmt.Errorf("native table %s: %w", t, err)
		}
	}
	out := make([]QueryTime, len(Questions))
	for i, q := range Questions {
		out[i].Name = q.Name
		for range repeats {
			for side, db := range []*sql.DB{ldb, ndb} {
				d, n, err := timeQuery(ctx, db, q.SQL)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", q.Name, err)
				}
				if side == 0 {
					out[i].LakeSecs = best(out[i].LakeSecs, d)
					out[i].Rows = n
				} else {
					out[i].NativeSecs = best(out[i].NativeSecs, d)
					if n != out[i].Rows {
						return nil, fmt.Errorf("%s: %d rows on the lake, %d on native tables", q.Name, out[i].Rows, n)
					}
				}
			}
		}
	}
	return out, nil
}

func best(cur, d float64) float64 {
	if cur == 0 || d < cur {
		return d
	}
	return cur
}

// timeQuery runs q, reads every row and returns the time taken and the rows.
func timeQuery(ctx context.Context, db *sql.DB, q string) (float64, int, error) {
	start := time.Now()
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return 0, 0, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, 0, err
	}
	vals := make([]any, len(cols))
	for i := range vals {
		vals[i] = new(any)
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(vals...); err != nil {
			return 0, 0, err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return 0, 0, err
	}
	return time.Since(start).Seconds(), n, nil
}
