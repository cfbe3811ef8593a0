package smartrecruiters

// Every wire choice the extractor makes that public SmartRecruiters material
// does not settle (the *assumed* points of shared/spec/smartrecruiters.md,
// pinned in WIRE.md) lives in this file, so that a real tenant showing
// otherwise is corrected here and nowhere else.

import (
	"net/url"
	"time"
)

const (
	// assumedTimeLayout is how the source writes timestamps, and so how the
	// incremental watermark is sent (UTC, milliseconds, "Z").
	assumedTimeLayout = "2006-01-02T15:04:05.000Z"

	// assumedUpdatedAfterParam filters J1 and C1 to records whose updatedOn is
	// at or after the given instant (inclusive).
	assumedUpdatedAfterParam = "updatedAfter"

	// assumedJobsSortParam/Value: J1 pages by pageId only when sorted by job id.
	assumedJobsSortParam = "sort"
	assumedJobsSortValue = "job_id"

	// P1 is offset paged: limit/offset in the query, items under "content",
	// the total under "totalFound".
	assumedPostingsLimitParam  = "limit"
	assumedPostingsOffsetParam = "offset"
	assumedPostingsItemsKey    = "content"
	assumedPostingsTotalKey    = "totalFound"
	assumedPostingsPageSize    = 100

	// assumedPostingUUIDField is the P1 item field that names the posting in
	// P2's path (/postings/{uuid}/configuration).
	assumedPostingUUIDField = "uuid"

	// assumedCompanyIdentifierField is the G3 field that names the company in
	// P1's path (/v1/companies/{identifier}/postings).
	assumedCompanyIdentifierField = "identifier"

	// assumedApplicationIDField is the C3 field holding the application id
	// that I1 is queried with.
	assumedApplicationIDField = "applicationId"

	// assumedInterviewsQueryParam is I1's query parameter naming the application.
	assumedInterviewsQueryParam = "applicationId"

	// The candidate's applications are exactly C2's primaryAssignment followed
	// by its secondaryAssignments, each naming its job as {"job": {"id"}}.
	assumedPrimaryAssignmentField    = "primaryAssignment"
	assumedSecondaryAssignmentsField = "secondaryAssignments"
)

// formatWatermark renders an incremental watermark the way the source writes
// timestamps. Sub-millisecond digits are cut, which only widens the inclusive
// window.
func formatWatermark(t time.Time) string { return t.UTC().Format(assumedTimeLayout) }

// jobsQuery is J1's query (limit and pageId are added by the pager).
func jobsQuery(updatedAfter string) url.Values {
	q := url.Values{assumedJobsSortParam: {assumedJobsSortValue}}
	if updatedAfter != "" {
		q.Set(assumedUpdatedAfterParam, updatedAfter)
	}
	return q
}

// candidatesQuery is C1's query (limit and pageId are added by the pager).
func candidatesQuery(updatedAfter string) url.Values {
	q := url.Values{}
	if updatedAfter != "" {
		q.Set(assumedUpdatedAfterParam, updatedAfter)
	}
	return q
}

// interviewsQuery is I1's query for one application.
func interviewsQuery(applicationID string) url.Values {
	return url.Values{assumedInterviewsQueryParam: {applicationID}}
}
