package smartrecruiters

// Document kinds this extractor emits (extract.DocSchema "kind" column) and the
// keys of each document's JSON body. Body keys are the endpoint path templates
// of the spec's endpoint table; values are the source objects exactly as
// received. Keys starting with "_" are context added by the extractor.
//
// Emission order (transform relies on it):
//  1. every KindSystemRole (U2 order), then marker _list_complete "system-roles"
//  2. every KindUser (U1 order), then marker "users"
//  3. every KindHiringProcess (G1 order), then marker "hiring-processes"
//  4. every KindRejectionReason (G2 order), then marker "rejection-reasons"
//  5. every KindJob (J1 order; details fetched concurrently but emitted in list order), then marker "jobs"
//  6. every KindPosting (P1 order), then marker "postings"
//  7. every KindCandidate (C1 order), each followed directly by the KindApplication
//     docs of its assignments (primaryAssignment first, then secondaryAssignments in order),
//     then marker "candidates"
//
// A record whose detail calls failed for good for a per-record reason (401/403/404 on
// that record, malformed body; a J2 or C2 reply whose "id" is not the record's is
// malformed) is emitted as extract.KindSkipped instead (key = the record key, body =
// {"endpoint": "<path template>", "error": "<message>"}).
const (
	KindSystemRole      = "system_role"      // key: role id; body {PathSystemRoles: item}
	KindUser            = "user"             // key: user id; body {PathUsers: item}
	KindHiringProcess   = "hiring_process"   // key: process id; body {PathHiringProcesses: item}
	KindRejectionReason = "rejection_reason" // key: reason id; body {PathRejectionReasons: item}
	// KindJob key: job id; body {PathJobs: J1 item, PathJob: J2 reply, PathJobHiringTeam: J3 reply,
	// PathJobAds: J4 reply (bare array), PathJobStatusHistory: J5 reply}
	KindJob = "job"
	// KindPosting key: posting id; body {PathPostings: P1 item, PathPostingConfiguration: P2 reply}
	KindPosting = "posting"
	// KindCandidate key: candidate id; body {PathCandidates: C1 item, PathCandidate: C2 reply}
	KindCandidate = "candidate"
	// KindApplication key: "<candidateId>:<jobId>"; body {"_candidateId": "...", "_jobId": "...",
	// PathApplication: C3 reply, PathApplicationHistory: C4 reply, PathScreeningAnswers: C5 reply,
	// PathApplicationProperties: C6 reply, PathOffers: C7 reply, PathInterviews: I1 reply}
	KindApplication = "application"
)

// Endpoint path templates (exactly as in the spec's endpoint table; also the
// remote_data keys).
const (
	PathUsers                 = "/user-api/v201804/users"
	PathSystemRoles           = "/user-api/v201804/system-roles"
	PathJobs                  = "/jobs"
	PathJob                   = "/jobs/{jobId}"
	PathJobHiringTeam         = "/jobs/{jobId}/hiring-team"
	PathJobAds                = "/jobs/{jobId}/jobads"
	PathJobStatusHistory      = "/jobs/{jobId}/status/history"
	PathCandidates            = "/candidates"
	PathCandidate             = "/candidates/{id}"
	PathApplication           = "/candidates/{id}/jobs/{jobId}"
	PathApplicationHistory    = "/candidates/{id}/jobs/{jobId}/status/history"
	PathScreeningAnswers      = "/candidates/{id}/jobs/{jobId}/screening-answers"
	PathApplicationProperties = "/candidates/{id}/jobs/{jobId}/properties"
	PathOffers                = "/candidates/{id}/jobs/{jobId}/offers"
	PathInterviews            = "/interviews-api/v201904/interviews"
	PathHiringProcesses       = "/configuration/hiring-processes"
	PathRejectionReasons      = "/configuration/rejection-reasons"
	PathCompany               = "/configuration/company"
	PathPostings              = "/v1/companies/{identifier}/postings"
	PathPostingConfiguration  = "/postings/{uuid}/configuration"
	PathToken                 = "/identity/oauth/token"
)

// List names used in extract.KindListComplete markers.
const (
	ListSystemRoles      = "system-roles"
	ListUsers            = "users"
	ListHiringProcesses  = "hiring-processes"
	ListRejectionReasons = "rejection-reasons"
	ListJobs             = "jobs"
	ListPostings         = "postings"
	ListCandidates       = "candidates"
)
