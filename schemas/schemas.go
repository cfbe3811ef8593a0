package schemas

import (
	"fmt"
	"sort"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
)

// Kind says how a column's value is to be read beyond its Arrow type.
type Kind int

const (
	// Plain is an ordinary value of the column's Arrow type.
	Plain Kind = iota
	// JSON is a string column holding compact JSON text (Parquet JSON logical type).
	JSON
	// ClosedEnum holds only one of Column.Enum or NULL.
	ClosedEnum
	// OpenEnum holds one of Column.Enum when the source value maps to one, else the source text.
	OpenEnum
	// Relation holds the lake id of a row of Column.Ref (it may dangle).
	Relation
)

// Column is one column of a unified table.
type Column struct {
	Name     string
	Type     arrow.DataType
	Nullable bool
	Kind     Kind
	Enum     []string // listed values of an enum column
	Ref      string   // target table of a Relation column
	Doc      string
}

// Table is one unified table.
type Table struct {
	Name    string
	Doc     string
	Sources string // which connectors fill it: "S", "P" or "SP"
	Columns []Column
	schema  *arrow.Schema
	index   map[string]int
}

// Schema returns the table's Arrow schema. Field metadata carries the
// column doc ("doc") and, for JSON columns, "kind"="json".
func (t *Table) Schema() *arrow.Schema { return t.schema }

// Col returns the position of the named column, or -1.
func (t *Table) Col(name string) int {
	if i, ok := t.index[name]; ok {
		return i
	}
	return -1
}

// MustCol returns the position of the named column and panics when the table has none:
// for wiring code whose column names are constants.
func (t *Table) MustCol(name string) int {
	i := t.Col(name)
	if i < 0 {
		panic(fmt.Sprintf("schemas: table %s has no column %q", t.Name, name))
	}
	return i
}

// Relations returns the table's relation columns.
func (t *Table) Relations() []Column {
	var out []Column
	for _, c := range t.Columns {
		if c.Kind == Relation {
			out = append(out, c)
		}
	}
	return out
}

// Shared column positions, the same in every table.
const (
	ColID              = 0
	ColRemoteID        = 1
	ColChangedAt       = 2
	ColRemoteDeletedAt = 3
)

// Arrow types used by the model.
var (
	// String is a UTF-8 string.
	String arrow.DataType = arrow.BinaryTypes.String
	// Timestamp is a UTC instant with microsecond precision.
	Timestamp arrow.DataType = &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
	// Int64 is a 64-bit integer.
	Int64 arrow.DataType = arrow.PrimitiveTypes.Int64
	// Float64 is a double.
	Float64 arrow.DataType = arrow.PrimitiveTypes.Float64
	// Bool is a boolean.
	Bool arrow.DataType = arrow.FixedWidthTypes.Boolean
	// StringList is a list of strings.
	StringList arrow.DataType = arrow.ListOfNonNullable(arrow.BinaryTypes.String)

	// Location is the location struct.
	Location arrow.DataType = arrow.StructOf(
		optField("city"), optField("country"), optField("raw"), optField("state"),
		optField("street_1"), optField("street_2"), optField("zip_code"),
	)
	// PhoneNumbers is the list of phone numbers.
	PhoneNumbers arrow.DataType = arrow.ListOfNonNullable(arrow.StructOf(
		arrow.Field{Name: "phone_number", Type: arrow.BinaryTypes.String, Nullable: false},
		optField("type"),
	))
	// EmailAddresses is the list of e-mail addresses.
	EmailAddresses arrow.DataType = arrow.ListOfNonNullable(arrow.StructOf(
		optField("email_address"), optField("type"),
	))
	// SocialMedia is the list of social media links.
	SocialMedia arrow.DataType = arrow.ListOfNonNullable(arrow.StructOf(
		optField("link"), optField("type"), optField("username"),
	))
	// IntegrationFields is the list of integration fields; value holds JSON text.
	IntegrationFields arrow.DataType = arrow.ListOfNonNullable(arrow.StructOf(
		optField("id"), optField("key"), optField("type"), jsonField("value"), optField("label"),
	))
	// ScreeningAnswers is the list of screening question answers; answer holds JSON text.
	ScreeningAnswers arrow.DataType = arrow.ListOfNonNullable(arrow.StructOf(
		optField("question_id"), optField("question_remote_id"), optField("question_title"),
		optField("question_type"), jsonField("answer"),
	))
)

func optField(name string) arrow.Field {
	return arrow.Field{Name: name, Type: arrow.BinaryTypes.String, Nullable: true}
}

func jsonField(name string) arrow.Field {
	return arrow.Field{Name: name, Type: arrow.BinaryTypes.String, Nullable: true,
		Metadata: arrow.NewMetadata([]string{"kind"}, []string{"json"})}
}

// Enum value lists.
var (
	UserStatus          = []string{"ACTIVE", "INACTIVE"}
	EmploymentType      = []string{"FULL_TIME", "PART_TIME", "CONTRACT", "SEASONAL", "INTERNSHIP"}
	JobStatus           = []string{"OPEN", "CLOSED", "DRAFT", "ARCHIVED"}
	JobVisibility       = []string{"PUBLIC", "INTERNAL", "UNLISTED", "CONFIDENTIAL"}
	SalaryPeriod        = []string{"YEAR", "MONTH", "TWO_WEEKS", "WEEK", "DAY", "HOUR"}
	PostingStatus       = []string{"ACTIVE", "INACTIVE", "DRAFT"}
	PostingVisibility   = []string{"PUBLIC", "INTERNAL", "UNLISTED"}
	Outcome             = []string{"PENDING", "HIRED", "DECLINED"}
	QuestionCategory    = []string{"EEO", "DEMOGRAPHIC"}
	OfferStatus         = []string{"ACCEPTED", "DECLINED", "SENT", "APPROVED", "DRAFT", "ABANDONED"}
	RoleScope           = []string{"SYSTEM", "JOB"}
	UnifiedRoleType     = []string{"HIRING_MANAGER", "RECRUITER", "COORDINATOR", "SOURCER", "INTERVIEWER", "ADMIN"}
	AnswerQuestionType  = []string{"TEXT", "SINGLE_SELECT", "MULTI_SELECT", "BOOLEAN", "NUMBER", "DATE", "UNKNOWN"}
	QuestionFormatTypes = []string{"TEXT", "NUMBER", "FILE", "SINGLE_SELECT", "MULTI_SELECT", "BOOLEAN", "DATE", "INFORMATION", "UNKNOWN"}
)

// column constructors
func str(name, doc string) Column { return Column{Name: name, Type: String, Nullable: true, Doc: doc} }
func ts(name, doc string) Column  { return Column{Name: name, Type: Timestamp, Nullable: true, Doc: doc} }
func js(name, doc string) Column {
	return Column{Name: name, Type: String, Nullable: true, Kind: JSON, Doc: doc}
}
func rel(name, target, doc string) Column {
	return Column{Name: name, Type: String, Nullable: true, Kind: Relation, Ref: target, Doc: doc}
}
func closed(name string, values []string, doc string) Column {
	return Column{Name: name, Type: String, Nullable: true, Kind: ClosedEnum, Enum: values, Doc: doc}
}
func open(name string, values []string, doc string) Column {
	return Column{Name: name, Type: String, Nullable: true, Kind: OpenEnum, Enum: values, Doc: doc}
}
func typed(name string, t arrow.DataType, doc string) Column {
	return Column{Name: name, Type: t, Nullable: true, Doc: doc}
}

func remoteData() Column {
	return js("remote_data", "Raw source objects the row was built from, keyed by the source endpoint path template.")
}
func customFields() Column {
	return js("custom_fields", "Custom fields as a JSON object {label: value}.")
}
func integrationFields() Column {
	return typed("integration_fields", IntegrationFields, "Source fields no column holds: list of {id, key, type DEFAULT|CUSTOM, value (JSON text), label}.")
}

func common(remoteIDDoc string) []Column {
	if remoteIDDoc == "" {
		remoteIDDoc = "The record's id in the source system."
	}
	return []Column{
		{Name: "id", Type: String, Nullable: false, Doc: "Stable lake id: base58(SHA-256(connection 0x00 table 0x00 remote_id))[:24]."},
		{Name: "remote_id", Type: String, Nullable: true, Doc: remoteIDDoc},
		{Name: "changed_at", Type: Timestamp, Nullable: false, Doc: "Start time of the run in which this row's stored data last changed (first seen, revived or any column changed)."},
		{Name: "remote_deleted_at", Type: Timestamp, Nullable: true, Doc: "Start time of the run that no longer found the record in a complete read of its source list; NULL while live."},
	}
}

var all = []*Table{
	{Name: "users", Sources: "SP", Doc: "People who use the ATS (recruiters, hiring managers, ...).", Columns: cols("",
		str("first_name", "First name."),
		str("last_name", "Last name."),
		str("email", "E-mail address; only valid addresses (SmartRecruiters) or the trimmed, lower-cased address (Phenom)."),
		closed("status", UserStatus, "ACTIVE or INACTIVE."),
		remoteData(),
	)},
	{Name: "jobs", Sources: "SP", Doc: "Jobs (requisitions).", Columns: cols("",
		str("name", "Job title."),
		str("job_code", "The customer's job reference code."),
		str("description", "Job description (HTML allowed)."),
		open("employment_type", EmploymentType, "FULL_TIME, PART_TIME, CONTRACT, SEASONAL, INTERNSHIP, else the source text."),
		open("status", JobStatus, "OPEN, CLOSED, DRAFT, ARCHIVED, else the source text."),
		open("visibility", JobVisibility, "PUBLIC, INTERNAL, UNLISTED, CONFIDENTIAL, else the source text."),
		str("category", "Job category (function)."),
		str("department", "Department."),
		str("experience_level", "Experience level."),
		str("post_url", "Public URL of the job posting."),
		str("remote_url", "URL of the job in the source ATS."),
		typed("salary_amount_from", Float64, "Lower end of the salary range."),
		typed("salary_amount_to", Float64, "Upper end of the salary range."),
		str("salary_currency", "ISO 4217 currency of the salary."),
		open("salary_period", SalaryPeriod, "YEAR, MONTH, TWO_WEEKS, WEEK, DAY, HOUR, else the source text."),
		typed("location", Location, "Job location."),
		customFields(),
		integrationFields(),
		ts("opened_at", "When the job was opened for applications."),
		ts("remote_created_at", "Creation time in the source."),
		ts("remote_updated_at", "Last update time in the source."),
		remoteData(),
	)},
	{Name: "job_postings", Sources: "S", Doc: "Job ads / postings of a job.", Columns: cols("",
		str("title", "Posting title."),
		str("description_html", "Posting description (HTML)."),
		closed("status", PostingStatus, "ACTIVE, INACTIVE or DRAFT."),
		closed("visibility", PostingVisibility, "PUBLIC, INTERNAL or UNLISTED."),
		str("url", "Public URL of the posting."),
		rel("job_id", "jobs", "The posted job."),
		remoteData(),
		ts("remote_created_at", "Creation time in the source."),
	)},
	{Name: "candidates", Sources: "SP", Doc: "Candidates (people who applied or were sourced).", Columns: cols("",
		str("first_name", "First name."),
		str("last_name", "Last name."),
		str("company", "Current employer."),
		str("title", "Current job title."),
		str("source", "Where the candidate came from."),
		typed("phone_numbers", PhoneNumbers, "Phone numbers: list of {phone_number, type}."),
		typed("email_addresses", EmailAddresses, "Valid e-mail addresses: list of {email_address, type}."),
		typed("social_media", SocialMedia, "Social media: list of {link, type, username}."),
		typed("location", Location, "Candidate location."),
		customFields(),
		integrationFields(),
		str("remote_url", "URL of the candidate in the source ATS."),
		ts("remote_created_at", "Creation time in the source."),
		ts("remote_updated_at", "Last update time in the source."),
		remoteData(),
	)},
	{Name: "application_stages", Sources: "S", Doc: "Stages of the company-wide hiring process.", Columns: cols("SmartRecruiters: the status, or STATUS/sub-status label.",
		str("name", "Stage name."),
		typed("global_index", Int64, "0-based position in the company-wide hiring process."),
	)},
	{Name: "applications", Sources: "SP", Doc: "Applications of candidates to jobs.", Columns: cols("SmartRecruiters: <candidateId>:<jobId>; Phenom: applicationId.",
		closed("outcome", Outcome, "PENDING, HIRED or DECLINED (rejected and withdrawn)."),
		str("rejection_reason_name", "Name of the rejection reason."),
		ts("rejected_at", "When the application was rejected."),
		rel("current_stage_id", "application_stages", "Current stage (may dangle)."),
		rel("job_id", "jobs", "The job applied to (may dangle)."),
		rel("candidate_id", "candidates", "The candidate (may dangle)."),
		typed("screening_question_answers", ScreeningAnswers, "Answers: list of {question_id, question_remote_id, question_title, question_type, answer (JSON text)}."),
		customFields(),
		integrationFields(),
		str("remote_url", "URL of the application in the source ATS."),
		remoteData(),
		ts("remote_created_at", "Creation time in the source (SmartRecruiters: first status-history entry)."),
		ts("remote_updated_at", "Last update time in the source (SmartRecruiters: last status-history entry)."),
	)},
	{Name: "application_status_history", Sources: "S", Doc: "Every stage move of an application (beyond the reference product).", Columns: cols("<application remote_id>:<entered_at as in the source>, #<n> appended for the n-th entry sharing it.",
		rel("application_id", "applications", "The application."),
		rel("stage_id", "application_stages", "The stage entered."),
		str("status", "Raw source status."),
		str("sub_status", "Raw source sub-status."),
		ts("entered_at", "When the stage was entered."),
	)},
	{Name: "screening_questions", Sources: "S", Doc: "Screening questions asked on applications.", Columns: cols("",
		str("title", "Question text."),
		str("description", "Question description."),
		js("format", "Question format: {type, display_type, max_length, min, max, options [{id, remote_id, name}], raw_question}."),
		closed("category", QuestionCategory, "EEO or DEMOGRAPHIC."),
	)},
	{Name: "tags", Sources: "S", Doc: "Tags put on candidates.", Columns: cols("Lower-cased trimmed tag text.",
		str("name", "Tag text."),
		remoteData(),
	)},
	{Name: "interviews", Sources: "S", Doc: "Interviews (one per interview timeslot).", Columns: cols("<interviewId>/<timeslotId>.",
		str("title", "Interview title."),
		ts("starting_at", "Start time."),
		ts("ending_at", "End time."),
		typed("location", Location, "Where the interview takes place."),
		rel("application_id", "applications", "The application interviewed for."),
		typed("canceled", Bool, "Whether the interview was canceled."),
		remoteData(),
	)},
	{Name: "offers", Sources: "S", Doc: "Offers made to candidates.", Columns: cols("",
		closed("status", OfferStatus, "ACCEPTED, DECLINED, SENT, APPROVED, DRAFT or ABANDONED."),
		rel("application_id", "applications", "The application the offer belongs to."),
		customFields(),
		integrationFields(),
		ts("remote_created_at", "Creation time in the source."),
		ts("remote_updated_at", "Last update time in the source."),
		remoteData(),
	)},
	{Name: "rejection_reasons", Sources: "S", Doc: "Reasons an application can be rejected for.", Columns: cols("",
		str("name", "Reason name."),
		remoteData(),
	)},
	{Name: "roles", Sources: "SP", Doc: "Roles users can hold, system-wide or on a job.", Columns: cols("SmartRecruiters: SYSTEM:<id> or JOB:<role>; Phenom: HIRING_MANAGER or RECRUITER.",
		str("remote_label", "The tool's own role name."),
		closed("scope", RoleScope, "SYSTEM or JOB."),
		closed("unified_type", UnifiedRoleType, "HIRING_MANAGER, RECRUITER, COORDINATOR, SOURCER, INTERVIEWER, ADMIN; NULL for roles with no equivalent."),
	)},
	{Name: "candidate_tags", Sources: "S", Doc: "Which tags are on which candidates.", Columns: cols("<candidate remote_id>:<tag remote_id>.",
		rel("candidate_id", "candidates", "The candidate."),
		rel("tag_id", "tags", "The tag."),
	)},
	{Name: "job_stages", Sources: "S", Doc: "The stages of a job's hiring process.", Columns: cols("<job remote_id>:<stage remote_id>.",
		rel("job_id", "jobs", "The job."),
		rel("stage_id", "application_stages", "The stage."),
		typed("index", Int64, "0-based order within the job."),
	)},
	{Name: "job_screening_questions", Sources: "S", Doc: "The screening questions of a job.", Columns: cols("<job remote_id>:<question remote_id>.",
		rel("job_id", "jobs", "The job."),
		rel("question_id", "screening_questions", "The question."),
		typed("index", Int64, "0-based order within the job."),
		typed("required", Bool, "Whether an answer is required."),
		rel("precondition_question_id", "screening_questions", "Question whose answer makes this one appear."),
		typed("precondition_options", StringList, "Answers of the precondition question that make this one appear."),
	)},
	{Name: "job_hiring_team_members", Sources: "SP", Doc: "Users on a job's hiring team.", Columns: cols("<job remote_id>:<user remote_id>.",
		rel("job_id", "jobs", "The job."),
		rel("user_id", "users", "The user."),
		typed("roles", StringList, "The member's unified role types, in the order first assigned, no repeats."),
	)},
	{Name: "job_user_role_assignments", Sources: "SP", Doc: "Which roles a hiring-team member holds on the job.", Columns: cols("<job remote_id>:<user remote_id>:<role remote_id>.",
		rel("job_user_id", "job_hiring_team_members", "The hiring-team member."),
		rel("role_id", "roles", "The role."),
	)},
	{Name: "user_roles", Sources: "S", Doc: "System roles of users.", Columns: cols("<user remote_id>:<role remote_id>.",
		rel("user_id", "users", "The user."),
		rel("role_id", "roles", "The role."),
	)},
	{Name: "interviewing_team_members", Sources: "S", Doc: "Users interviewing in an interview.", Columns: cols("<interview remote_id>:<user remote_id>.",
		rel("interview_id", "interviews", "The interview."),
		rel("user_id", "users", "The interviewer."),
	)},
}

func cols(remoteIDDoc string, cs ...Column) []Column { return append(common(remoteIDDoc), cs...) }

var byName = map[string]*Table{}

func init() {
	for _, t := range all {
		t.index = make(map[string]int, len(t.Columns))
		fields := make([]arrow.Field, len(t.Columns))
		for i, c := range t.Columns {
			t.index[c.Name] = i
			keys, vals := []string{"doc"}, []string{c.Doc}
			if c.Kind == JSON {
				keys, vals = append(keys, "kind"), append(vals, "json")
			}
			fields[i] = arrow.Field{Name: c.Name, Type: c.Type, Nullable: c.Nullable, Metadata: arrow.NewMetadata(keys, vals)}
		}
		t.schema = arrow.NewSchema(fields, nil)
		byName[t.Name] = t
	}
}

// All returns every unified table in a stable order.
func All() []*Table { return all }

// Names returns the names of every unified table, sorted.
func Names() []string {
	out := make([]string, 0, len(all))
	for _, t := range all {
		out = append(out, t.Name)
	}
	sort.Strings(out)
	return out
}

// Lookup returns the named table.
func Lookup(name string) (*Table, bool) {
	t, ok := byName[name]
	return t, ok
}

// MustLookup returns the named table and panics when there is none.
func MustLookup(name string) *Table {
	t, ok := byName[name]
	if !ok {
		panic("schemas: no table " + name)
	}
	return t
}

// IsJSONField reports whether an Arrow field (top level or nested) holds JSON text.
func IsJSONField(f arrow.Field) bool {
	v, ok := f.Metadata.GetValue("kind")
	return ok && v == "json"
}

// TypeName returns a short SQL-like name of an Arrow type for the data dictionary.
func TypeName(c Column) string {
	if c.Kind == JSON {
		return "JSON"
	}
	return typeName(c.Type)
}

func typeName(t arrow.DataType) string {
	switch t := t.(type) {
	case *arrow.StringType:
		return "VARCHAR"
	case *arrow.TimestampType:
		return "TIMESTAMPTZ"
	case *arrow.Int64Type:
		return "BIGINT"
	case *arrow.Float64Type:
		return "DOUBLE"
	case *arrow.BooleanType:
		return "BOOLEAN"
	case *arrow.ListType:
		return typeName(t.Elem()) + "[]"
	case *arrow.StructType:
		parts := make([]string, t.NumFields())
		for i, f := range t.Fields() {
			n := typeName(f.Type)
			if IsJSONField(f) {
				n = "JSON"
			}
			parts[i] = f.Name + " " + n
		}
		return "STRUCT(" + strings.Join(parts, ", ") + ")"
	default:
		return t.String()
	}
}
