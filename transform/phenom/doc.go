// Package phenom owns the Phenom mapping of shared/spec/phenom.md: it turns
// the documents of extract/phenom (jobs, applications) into the unified
// tables jobs, users, roles, job_hiring_team_members,
// job_user_role_assignments, candidates and applications.
//
// Choices the spec leaves open (documented here, tested in this package):
//   - integration_fields DEFAULT entries have id = key = the source field
//     name, label NULL, value = the field's JSON as received (compacted); a
//     field that is missing or null gives no entry; a table with no such
//     field gets an empty list (candidates always).
//   - users are named after the first non-blank name met in job order
//     (hiring manager before recruiters), trimmed and split at its first
//     space: first_name before it, last_name the rest (trimmed; NULL for a
//     single word).
//   - candidates: of several applications of one candidate the one with the
//     latest updatedDate wins (an application without a readable
//     updatedDate is older than any with one); a tie goes to the greatest
//     applicationId compared as strings (byte order, so "9" > "10"). A
//     candidate row is written each time a better application is met, so
//     the last row written per candidate is the winner's.
//   - an application with neither candidateData.candidateId nor candidateId
//     keeps candidate_id NULL and gives no candidate; one without jobId keeps
//     job_id NULL.
//   - phone_numbers: countryPhoneCode ("+" added when missing) followed by
//     phoneNumber, every white space removed; a phoneNumber that already
//     starts with "+" is taken without the country code.
//   - empty and blank source strings are NULL. A number or boolean where a
//     string is expected is read as its JSON text, except for the e-mails
//     that key users (hiringManagerEmail, multiRecruiter[].recruiterEmail):
//     there it would invent a user, so the job is skipped as malformed (as
//     is one whose multiRecruiter entry is an object that is no recruiter).
//   - documents are read in the order of extract/phenom's docs.go; jobs are
//     buffered until the jobs list-complete marker (or Finish) and then
//     written with every row derived from them. A job document after that
//     marker is reported to the Skipper. extract.KindSkipped markers are the
//     pipeline's business and are ignored here.
package phenom
