package phenom

// Document kinds this extractor emits (extract.DocSchema "kind" column) and
// the keys of each document's JSON body (endpoint path templates; values as
// received).
//
// Emission order (transform relies on it):
//  1. every KindJob in list order (pages in offset order, items in page order),
//     every locale duplicate included, then marker _list_complete ListJobs
//  2. every KindApplication in list order, then marker _list_complete ListApplications
const (
	// KindJob key: jobId; body {PathJobs: the JOB item as received}
	KindJob = "job"
	// KindApplication key: applicationId; body {PathApplications: the APPLICATION item as received}
	KindApplication = "application"
)

// Endpoint path templates (remote_data keys; the token path is relative to token_url).
const (
	PathJobs         = "/jobs-api/v1/jobs"
	PathApplications = "/apply/v2/applications"
	PathToken        = "/token"
)

// List names used in extract.KindListComplete markers.
const (
	ListJobs         = "jobs"
	ListApplications = "applications"
)
