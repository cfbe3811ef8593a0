package smartrecruiters

import (
	"strings"

	"github.com/atslake/atslake/transform"
)

// Every SmartRecruiters value spelling the mapping knows, in one place. Text is
// compared by the model's enum rule (transform.EnumKey), so "NOT_PUBLISHED",
// "not published" and "Not-Published" are one spelling.

// jobStatus: CREATED -> DRAFT, SOURCING/INTERVIEW/OFFER -> OPEN, FILLED/CANCELLED -> CLOSED, else raw.
var jobStatus = transform.NewOpenEnum(map[string][]string{
	"DRAFT":  {"CREATED"},
	"OPEN":   {"SOURCING", "INTERVIEW", "OFFER"},
	"CLOSED": {"FILLED", "CANCELLED"},
})

// jobVisibility from J1 postingStatus: PUBLIC, INTERNAL, PRIVATE/NOT_PUBLISHED -> UNLISTED, else raw.
var jobVisibility = transform.NewOpenEnum(map[string][]string{
	"PUBLIC":   {"PUBLIC"},
	"INTERNAL": {"INTERNAL"},
	"UNLISTED": {"PRIVATE", "NOT_PUBLISHED"},
})

// employmentType from typeOfEmployment (the spec's spellings), else the text as received.
var employmentType = transform.NewOpenEnum(map[string][]string{
	"FULL_TIME":  {"full time", "permanent"},
	"PART_TIME":  {"part time"},
	"CONTRACT":   {"contract", "contractor", "temporary", "freelance"},
	"INTERNSHIP": {"intern", "internship"},
	"SEASONAL":   {"seasonal"},
})

// salaryPeriod from compensation.period, else the text as received. Our
// choice of spellings (the spec leaves them open): the unit, its adjective,
// "per"/"a" + unit; TWO_WEEKS also bi weekly/biweekly/fortnight(ly). Plurals
// are deliberately absent: the enum rule drops digits, so "2 weeks" would
// read as "weeks" and "3 months" as "months".
var salaryPeriod = transform.NewOpenEnum(map[string][]string{
	"YEAR":      {"year", "yearly", "annual", "annually", "per year", "a year", "per annum", "annum", "p a"},
	"MONTH":     {"month", "monthly", "per month", "a month"},
	"TWO_WEEKS": {"two weeks", "two week", "every two weeks", "per two weeks", "bi weekly", "biweekly", "fortnight", "fortnightly", "per fortnight"},
	"WEEK":      {"week", "weekly", "per week", "a week"},
	"DAY":       {"day", "daily", "per day", "a day"},
	"HOUR":      {"hour", "hourly", "per hour", "an hour"},
})

// postingStatus (J4): PUBLISHED -> ACTIVE, NOT_PUBLISHED -> INACTIVE.
var postingStatus = transform.NewClosedEnum(map[string][]string{
	"ACTIVE":   {"PUBLISHED"},
	"INACTIVE": {"NOT_PUBLISHED"},
})

// postingVisibility (J4): PUBLIC, INTERNAL, PRIVATE -> UNLISTED.
var postingVisibility = transform.NewClosedEnum(map[string][]string{
	"PUBLIC":   {"PUBLIC"},
	"INTERNAL": {"INTERNAL"},
	"UNLISTED": {"PRIVATE"},
})

// outcome from the application status: HIRED; REJECTED/WITHDRAWN/TRANSFERRED -> DECLINED; else PENDING.
var outcome = transform.NewClosedEnum(map[string][]string{
	"HIRED":    {"HIRED"},
	"DECLINED": {"REJECTED", "WITHDRAWN", "TRANSFERRED"},
})

const outcomePending = "PENDING"

// offerStatus (C7).
var offerStatus = transform.NewClosedEnum(map[string][]string{
	"DRAFT":     {"CREATED", "PENDING_APPROVAL"},
	"APPROVED":  {"APPROVED"},
	"ABANDONED": {"NOT_APPROVED", "ABANDONED"},
	"SENT":      {"PENDING_ACCEPTANCE"},
	"ACCEPTED":  {"ACCEPTED"},
	"DECLINED":  {"NOT_ACCEPTED"},
})

// jobRoleTypes maps J3 roles, compared exactly (a custom role that happens to be
// called "Recruiter" is still custom): EXECUTIVE and custom roles have none.
var jobRoleTypes = map[string]string{
	"HIRING_MANAGER": "HIRING_MANAGER",
	"RECRUITER":      "RECRUITER",
	"COORDINATOR":    "COORDINATOR",
	"INTERVIEW_TEAM": "INTERVIEWER",
}

// systemRoleTypes maps U2 role ids, compared exactly.
var systemRoleTypes = map[string]string{"ADMINISTRATOR": "ADMIN"}

// statusOrder is the funnel order of application statuses (application_stages).
var statusOrder = []string{"LEAD", "NEW", "IN_REVIEW", "INTERVIEW", "OFFERED", "HIRED", "REJECTED", "WITHDRAWN", "TRANSFERRED"}

func isKnownStatus(s string) bool {
	for _, k := range statusOrder {
		if k == s {
			return true
		}
	}
	return false
}

// questionFormat maps the first P2 field type to the format type and display type.
var questionFormat = map[string][2]string{
	"INPUT_TEXT":    {"TEXT", "SINGLE_LINE"},
	"TEXTAREA":      {"TEXT", "MULTI_LINE"},
	"SINGLE_SELECT": {"SINGLE_SELECT", "DROPDOWN"},
	"RADIO":         {"SINGLE_SELECT", "RADIO"},
	"MULTI_SELECT":  {"MULTI_SELECT", ""},
	"CHECKBOX":      {"BOOLEAN", ""},
	"INFORMATION":   {"INFORMATION", ""},
}

const (
	complianceDiversity = "DIVERSITY"
	categoryEEO         = "EEO"
	p2MultiSelect       = "MULTI_SELECT"
)

// Screening answer types (C5 type, compared case-insensitively).
const (
	answerText         = "TEXT"
	answerSingleSelect = "SINGLE_SELECT"
	answerMultiSelect  = "MULTI_SELECT"
	answerBoolean      = "BOOLEAN"
	answerUnknown      = "UNKNOWN"
)

func isTruthy(s string) bool {
	s = strings.TrimSpace(s)
	return strings.EqualFold(s, "true") || strings.EqualFold(s, "yes") || s == "1"
}

// appendSections joins the non-empty section texts with "\n" in the order
// companyDescription, jobDescription, qualifications, additionalInformation.
func appendSections(dst []byte, s *sections) []byte {
	start := len(dst)
	for _, t := range [...]string{s.CompanyDescription.Text, s.JobDescription.Text, s.Qualifications.Text, s.AdditionalInformation.Text} {
		if t == "" {
			continue
		}
		if len(dst) > start {
			dst = append(dst, '\n')
		}
		dst = append(dst, t...)
	}
	return dst
}

// toLocation maps an SR LOCATION: state = region (regionCode when absent),
// country by transform.Country(countryCode, country), zip_code = postalCode,
// street_1 = address, raw NULL.
func toLocation(l *location) transform.Location {
	return transform.Location{
		City:    l.City,
		State:   transform.FirstNonEmpty(l.Region, l.RegionCode),
		Country: transform.Country(l.CountryCode, l.Country),
		ZipCode: l.PostalCode,
		Street1: l.Address,
	}
}

// stageRemoteID is the application_stages remote id of (status, subStatus).
func appendStageRemoteID(dst []byte, status, sub string) []byte {
	dst = append(dst, status...)
	if sub != "" {
		dst = append(dst, '/')
		dst = append(dst, sub...)
	}
	return dst
}
