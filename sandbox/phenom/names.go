package phenom

// Source-specific names of the Phenom API (shared/spec/phenom.md and
// extract/phenom/WIRE.md), kept in one place so a correction against a real
// tenant is a one-file change. The JSON field names of the items are the tags
// of the wire structs in wire.go.
const (
	pathToken        = "/token"
	pathJobs         = "/jobs-api/v1/jobs"
	pathApplications = "/apply/v2/applications"

	pathAdvance = "/_sandbox/advance"
	pathTruth   = "/_sandbox/truth"
	pathFaults  = "/_sandbox/faults"

	formClientID     = "clientId"
	formClientSecret = "clientSecret"

	paramOffset   = "offset"
	paramLimit    = "limit"
	paramSiteType = "siteType"

	siteExternal = "external"
	siteInternal = "internal"

	defaultLimit = 50
	maxLimit     = 100

	// localeDefault is the locale a sync keeps when a job comes once per locale.
	localeDefault = "en_US"
	// placeholderJobID is the literal some applications carry instead of a job id.
	placeholderJobID = "JOBID"

	// Phenom's timestamp layout, e.g. 2024-05-17T22:00:00.000+0000.
	timeLayout = "2006-01-02T15:04:05.000-0700"
)

// Job statuses. Only Open and On Hold jobs are listed; Closed jobs are not.
const (
	statusOpen   = "Open"
	statusOnHold = "On Hold"
	statusClosed = "Closed"
)

// Hiring statuses of applications, in the order a pipeline moves through them.
const (
	hsApplied   = "Applied"
	hsScreening = "Screening"
	hsInterview = "Interview"
	hsOffer     = "Offer"
	hsHired     = "Hired"
	hsRejected  = "Rejected"
	hsWithdrawn = "Withdrawn"
)

// Unified tables the Phenom connector fills and the remote ids of its roles.
const (
	tableJobs        = "jobs"
	tableUsers       = "users"
	tableRoles       = "roles"
	tableMembers     = "job_hiring_team_members"
	tableAssignments = "job_user_role_assignments"
	tableCandidates  = "candidates"
	tableApps        = "applications"

	roleHiringManager = "HIRING_MANAGER"
	roleRecruiter     = "RECRUITER"
)
