"""Writes tenant.jsonl, the hand-written SmartRecruiters tenant of the golden
tests (documents in the extractor's emission order). Edit the literals here,
run `python3 gen_tenant.py` in this folder, then `go test -update`."""
import json
docs = []
def doc(kind, key, body):
    docs.append({"kind": kind, "key": key, "body": body})
def marker(name):
    doc("_list_complete", name, {})

# 1. system roles
for r in [{"id": "ADMINISTRATOR", "name": "Administrator"}, {"id": "STANDARD", "name": "Standard"}, {"id": "HR_LEAD", "name": "HR lead (custom)"}]:
    doc("system_role", r["id"], {"/user-api/v201804/system-roles": r})
doc("system_role", "broken", {"/user-api/v201804/system-roles": {"name": "no id"}})
marker("system-roles")

# 2. users (invalid e-mails are a sandbox quirk)
U = "/user-api/v201804/users"
users = [
    {"id": "5f0000000000000000000001", "firstName": "Ada", "lastName": "Admin", "email": "  ada@acme.example.com ", "active": True, "systemRole": {"id": "ADMINISTRATOR", "name": "Administrator"}, "updatedOn": "2024-01-02T10:00:00.000Z"},
    {"id": "5f0000000000000000000002", "firstName": "Bob", "lastName": "Recruiter", "email": "bob.acme.example.com", "active": False, "systemRole": {"id": "STANDARD", "name": "Standard"}, "updatedOn": "2024-01-03T10:00:00.000Z"},
    {"id": "5f0000000000000000000003", "firstName": "Chloé", "lastName": "Exec", "email": "chloe @acme.example.com", "updatedOn": "2024-01-04T10:00:00.000Z"},
    {"id": "5f0000000000000000000004", "firstName": "Dan", "email": "dan@@acme.example.com", "active": True, "systemRole": {"id": "HR_LEAD", "name": "HR lead (custom)"}},
    {"id": "5f0000000000000000000005", "lastName": "Nodomain", "email": "eve@localhost", "active": True, "systemRole": {"id": "STANDARD", "name": "Standard"}},
]
for u in users:
    doc("user", u["id"], {U: u})
doc("user", "5f00000000000000000000ff", {U: {"firstName": "No", "lastName": "Id"}})
marker("users")

# 3. hiring processes (key order carries meaning; labels repeat across processes)
HP = "/configuration/hiring-processes"
doc("hiring_process", "hp-legacy", {HP: {"id": "hp-legacy", "name": "Legacy", "active": False, "subStatuses": {"IN_REVIEW": ["Legacy review", "Phone screen"], "INTERVIEW": ["Onsite"]}}})
doc("hiring_process", "hp-standard", {HP: {"id": "hp-standard", "name": "Standard", "active": True, "subStatuses": {"OFFERED": ["Negotiation"], "IN_REVIEW": ["Assessment", "Phone screen", "Assessment"], "INTERVIEW": ["Panel", "Onsite"]}}})
doc("hiring_process", "hp-fast", {HP: {"id": "hp-fast", "name": "Fast track", "active": True, "subStatuses": {"INTERVIEW": ["Founder chat"]}}})
marker("hiring-processes")

# 4. rejection reasons
RR = "/configuration/rejection-reasons"
doc("rejection_reason", "rr-1", {RR: {"id": "rr-1", "label": "Not qualified"}})
doc("rejection_reason", "rr-2", {RR: {"id": "rr-2", "label": "Salary <expectations> & more"}})
marker("rejection-reasons")

# 5. jobs
J1, J2, J3, J4, J5 = "/jobs", "/jobs/{jobId}", "/jobs/{jobId}/hiring-team", "/jobs/{jobId}/jobads", "/jobs/{jobId}/status/history"
def sections(company="", job="", qual="", add=""):
    return {"companyDescription": {"title": "Company", "text": company}, "jobDescription": {"title": "Job", "text": job},
            "qualifications": {"title": "Qualifications", "text": qual}, "additionalInformation": {"title": "More", "text": add}}
loc_berlin = {"city": "Berlin", "region": "Berlin", "regionCode": "BE", "country": "Germany", "countryCode": "de", "postalCode": "10115", "address": "Invalidenstraße 1", "remote": False}
j1_summary = {"id": "job-1", "title": "Backend Engineer (Go)", "refNumber": "REF-001", "createdOn": "2024-01-10T09:00:00.000Z", "updatedOn": "2024-03-01T12:30:00.000Z", "status": "SOURCING", "postingStatus": "PUBLIC", "department": {"id": "d1", "label": "Engineering"}, "location": loc_berlin}
j1_details = dict(j1_summary, industry={"id": "i1", "label": "Software"}, function={"id": "f1", "label": "Engineering & IT"},
    typeOfEmployment={"id": "permanent", "label": "Full-time"}, experienceLevel={"id": "mid", "label": "Mid-Senior Level"},
    compensation={"min": 60000, "max": 80000.5, "currency": "EUR", "period": "per hour"},
    jobAd={"sections": sections("<p>We are <b>Acme</b> & co.</p>", "<p>Build APIs.</p>", "", "Remote OK 🌍")},
    properties=[{"id": "prop-team", "label": "Team", "value": {"id": "v-platform", "label": "Platform"}},
                {"id": "prop-budget", "label": "Budget code", "value": {"id": "v-42", "label": "B-42"}}],
    hiringProcessId="hp-legacy", actions={"applyOnWeb": {"url": "https://jobs.example.com/not-used"}})
j1_team = {"totalFound": 7, "content": [
    {"id": "5f0000000000000000000001", "role": "HIRING_MANAGER"},
    {"id": "5f0000000000000000000002", "role": "RECRUITER"},
    {"id": "5f0000000000000000000001", "role": "INTERVIEW_TEAM"},
    {"id": "5f0000000000000000000001", "role": "HIRING_MANAGER"},
    {"id": "5f0000000000000000000003", "role": "EXECUTIVE"},
    {"id": "5f0000000000000000000002", "role": "Talent Partner"},
    {"role": "COORDINATOR"}]}
j1_ads = [
    {"id": "ad-1", "title": "Backend Engineer (Go)", "language": {"code": "en", "label": "English"}, "jobAd": {"sections": sections("<p>We are <b>Acme</b> & co.</p>", "<p>Build APIs.</p>")}, "createdOn": "2024-01-11T09:00:00.000Z", "updatedOn": "2024-01-12T09:00:00.000Z", "applyUrl": "https://jobs.example.com/acme/ad-1", "postingStatus": "PUBLISHED", "visibility": "PUBLIC", "default": True},
    {"id": "ad-2", "title": "Backend-Entwickler (Go)", "language": {"code": "de", "label": "German"}, "jobAd": {"sections": sections("", "<p>APIs bauen.</p>", "Go", "")}, "createdOn": "2024-01-13T09:00:00.000Z", "applyUrl": "https://jobs.example.com/acme/ad-2", "postingStatus": "NOT_PUBLISHED", "visibility": "PRIVATE", "default": False},
]
j1_hist = {"totalFound": 4, "content": [
    {"changedOn": "2024-01-10T09:00:00.000Z", "status": "CREATED"},
    {"changedOn": "2024-02-20T08:00:00.000Z", "status": "SOURCING"},
    {"changedOn": "2024-01-15T08:00:00.000Z", "status": "SOURCING"},
    {"changedOn": "2024-01-20T08:00:00.000Z", "status": "INTERVIEW"}]}
doc("job", "job-1", {J1: j1_summary, J2: j1_details, J3: j1_team, J4: j1_ads, J5: j1_hist})

loc_uk = {"city": "London", "regionCode": "ENG", "country": "United Kingdom"}
j2_summary = {"id": "job-2", "title": "Sales Intern", "refNumber": "REF-002", "createdOn": "2024-02-01T08:54:57.000Z", "updatedOn": "2024-02-02T08:54:57.000Z", "status": "CREATED", "postingStatus": "PRIVATE", "department": {"id": "d2", "label": "Sales"}, "location": loc_uk}
j2_details = dict(j2_summary, industry={"id": "i2", "label": "Retail"}, typeOfEmployment={"id": "contractor"},
    compensation={"min": "1200", "currency": "GBP", "period": "bi-weekly"}, jobAd={"sections": sections()}, properties=[])
j2_ads = [
    {"id": "ad-3", "title": "Sales Intern", "jobAd": {"sections": sections(job="Sell things.")}, "createdOn": "2024-02-01T09:00:00.000Z", "applyUrl": "https://jobs.example.com/acme/ad-3", "postingStatus": "NOT_PUBLISHED", "visibility": "INTERNAL", "default": True},
    {"id": "ad-4", "title": "Sales Intern (EMEA)", "jobAd": {"sections": sections(job="Sell more.")}, "createdOn": "2024-02-02T09:00:00.000Z", "applyUrl": "https://jobs.example.com/acme/ad-4", "postingStatus": "PUBLISHED", "visibility": "PUBLIC", "default": False},
]
doc("job", "job-2", {J1: j2_summary, J2: j2_details, J3: {"totalFound": 0, "content": []}, J4: j2_ads, J5: {"totalFound": 0, "content": []}})

j3_summary = {"id": "job-3", "title": "Seasonal Picker", "createdOn": "2023-11-30T23:00:00.000+0000", "updatedOn": "2024-01-01T00:00:00.000-0100", "status": "ON_HOLD", "postingStatus": "NOT_PUBLISHED", "location": {"city": "Nowhere", "country": "Atlantis", "remote": True}}
j3_details = dict(j3_summary, typeOfEmployment={"id": "vollzeit", "label": "Vollzeit"}, experienceLevel={"id": "entry", "label": "Entry level"},
    compensation={"min": 15.5, "max": 18, "currency": "USD", "period": "Quarterly"},
    jobAd={"sections": sections(qual="Forklift licence")},
    properties=[{"id": "prop-shift", "label": "Shift", "value": {"id": "night"}}], hiringProcessId="hp-deleted")
j3_ads = [
    {"title": "ad without id", "postingStatus": "PUBLISHED", "default": False},
    {"id": "ad-5", "title": "Seasonal Picker", "createdOn": "2023-12-01T00:00:00.000Z", "postingStatus": "DRAFT_STATE", "visibility": "SECRET", "default": False},
]
doc("job", "job-3", {J1: j3_summary, J2: j3_details, J3: {"totalFound": 1, "content": [{"id": "5f0000000000000000000004", "role": "COORDINATOR"}]}, J4: j3_ads, J5: {"totalFound": 1, "content": [{"changedOn": "2023-12-01T00:00:00.000Z", "status": "ON_HOLD"}]}})
doc("job", "job-noid", {J1: {"title": "Job without id"}, J2: {"title": "Job without id"}})
doc("job", "job-bad", {J1: {"id": "job-bad", "title": "Malformed details"}, J2: {"id": "job-bad", "title": 5}})
doc("_skipped", "job-403", {"endpoint": "/jobs/{jobId}", "error": "GET /jobs/job-403: HTTP 403"})
marker("jobs")

# 6. postings
P1, P2 = "/v1/companies/{identifier}/postings", "/postings/{uuid}/configuration"
def field(type_, label="", required=False, values=None, compliance=None, id_="f"):
    f = {"id": id_, "label": label, "type": type_, "required": required}
    if values is not None:
        f["values"] = [{"id": v[0], "label": v[1]} for v in values]
    if compliance:
        f["complianceType"] = compliance
    return f
q = {
 "q-text": {"id": "q-text", "label": "Your GitHub profile?", "repeatable": False, "fields": [field("INPUT_TEXT", "URL", True)]},
 "q-radio": {"id": "q-radio", "label": "Work permit?", "repeatable": False, "fields": [field("RADIO", "Permit", True, [("yes", "Yes"), ("no", "No")])]},
 "q-multi": {"id": "q-multi", "label": "Languages you speak", "repeatable": False, "fields": [field("MULTI_SELECT", "Languages", False, [("de", "German"), ("en", "English"), ("ja", "日本語")])]},
 "q-check": {"id": "q-check", "label": "I identify as a veteran", "repeatable": False, "fields": [field("CHECKBOX", "Veteran", False, None, "DIVERSITY")]},
 "q-info": {"id": "q-info", "label": "Please read our privacy policy", "repeatable": False, "fields": [field("INFORMATION", "Privacy")]},
 "q-single": {"id": "q-single", "label": "Notice period", "repeatable": False, "fields": [field("SINGLE_SELECT", "Notice", False, [("now", "Immediately"), ("2w", "2 weeks")]), field("INPUT_TEXT", "Other", True)]},
 "q-area": {"id": "q-area", "label": "Cover letter", "repeatable": False, "fields": [field("TEXTAREA", "Letter")]},
 "q-file": {"id": "q-file", "label": "Upload a portfolio", "repeatable": True, "fields": [field("FILE_UPLOAD", "Portfolio")]},
 "q-empty": {"id": "q-empty", "label": "Question without fields", "repeatable": False, "fields": []},
 "q-extra": {"id": "q-extra", "label": "Only on the German ad", "repeatable": False, "fields": [field("INPUT_TEXT", "Text")]},
 "q-select": {"id": "q-select", "label": "Preferred office", "repeatable": False, "fields": [field("SINGLE_SELECT", "Office", False, [("ber", "Berlin"), ("lon", "London")])]},
}
doc("posting", "post-2", {P1: {"id": "post-2", "uuid": "uuid-2", "jobAdId": "ad-2", "refNumber": "REF-001", "name": "Backend-Entwickler (Go)"}, P2: {"questions": [q["q-text"], q["q-extra"]]}})
doc("posting", "post-1", {P1: {"id": "post-1", "uuid": "uuid-1", "jobAdId": "ad-1", "refNumber": "REF-001", "name": "Backend Engineer (Go)"},
    P2: {"questions": [q["q-text"], q["q-radio"], q["q-multi"], q["q-check"], q["q-info"], q["q-single"], q["q-area"], q["q-file"], q["q-empty"], {"label": "question without id", "fields": []}, q["q-radio"], q["q-select"]]}})
doc("posting", "post-4", {P1: {"id": "post-4", "uuid": "uuid-4", "jobAdId": "ad-4", "refNumber": "REF-002", "name": "Sales Intern (EMEA)"}, P2: {"questions": [q["q-area"], q["q-radio"]]}})
doc("posting", "post-x", {P1: {"id": "post-x", "uuid": "uuid-x", "jobAdId": "ad-of-a-job-not-read", "name": "Elsewhere"}, P2: {"questions": [q["q-text"]]}})
doc("posting", "post-bad", {P1: {"id": "post-bad", "uuid": "uuid-bad", "jobAdId": "ad-1"}, P2: {"questions": "not a list"}})
marker("postings")

# 7. candidates, each followed by its applications
C1, C2 = "/candidates", "/candidates/{id}"
C3, C4, C5, C6, C7, I1 = "/candidates/{id}/jobs/{jobId}", "/candidates/{id}/jobs/{jobId}/status/history", "/candidates/{id}/jobs/{jobId}/screening-answers", "/candidates/{id}/jobs/{jobId}/properties", "/candidates/{id}/jobs/{jobId}/offers", "/interviews-api/v201904/interviews"
def app(cand, job, c3=None, c4=None, c5=None, c6=None, c7=None, i1=None, extra=None):
    body = {"_candidateId": cand, "_jobId": job}
    for k, v in ((C3, c3), (C4, c4), (C5, c5), (C6, c6), (C7, c7), (I1, i1)):
        if v is not None:
            body[k] = v
    if extra:
        body.update(extra)
    doc("application", cand + ":" + job, body)
def rec(*values):
    return [{"fields": [{"id": "f", "label": "F", "values": [{"id": v[0], "label": v[1]} if v[0] is not None else {"label": v[1]} for v in values]}]}]

c1_summary = {"id": "cand-1", "firstName": "Alice", "lastName": "Martin", "email": " Alice.Martin@Example.com ", "createdOn": "2024-02-10T10:00:00.000Z", "updatedOn": "2024-03-05T10:00:00.000Z",
              "tags": ["Java", " senior ", "java", "", "Go <3"], "primaryAssignment": {"job": {"id": "job-1"}, "status": "REJECTED"}, "secondaryAssignments": [{"job": {"id": "job-2"}, "status": "INTERVIEW", "subStatus": "Ärztlich"}]}
c1_details = {"id": "cand-1", "firstName": "Alice", "lastName": "Martin", "email": " Alice.Martin@Example.com ", "phoneNumber": " +1 555 0100 ",
    "location": {"city": "Austin", "region": "Texas", "country": "United States", "countryCode": "us", "postalCode": "73301", "address": "1 Main St"},
    "web": {"linkedin": "https://www.linkedin.com/in/alice", "facebook": "https://facebook.com/alice", "twitter": "https://twitter.com/alice", "website": "https://alice.dev", "skype": "live:alice"},
    "experience": [{"title": "Intern", "company": "Old Co", "current": False}, {"title": "Staff Engineer", "company": "Initech", "current": True}, {"title": "Advisor", "company": "Side Co", "current": True}],
    "tags": ["Java", " senior "], "createdOn": "2024-02-10T10:00:00.000Z", "updatedOn": "2024-03-05T10:00:00.000Z",
    "primaryAssignment": {"job": {"id": "job-1", "title": "Backend Engineer (Go)"}, "status": "REJECTED", "source": "LinkedIn", "reasonOfRejection": {"id": "rr-1", "label": "Not qualified"}},
    "secondaryAssignments": [{"job": {"id": "job-2", "title": "Sales Intern"}, "status": "INTERVIEW", "subStatus": "Ärztlich", "source": "Referral"}]}
doc("candidate", "cand-1", {C1: c1_summary, C2: c1_details})
app("cand-1", "job-1",
    c3={"applicationId": "app-11", "candidateId": "cand-1", "jobId": "job-1", "status": "REJECTED", "source": "LinkedIn", "reasonOfRejection": {"id": "rr-1", "label": "Not qualified"}, "createdOn": "2024-02-10T10:00:00.000Z"},
    c4={"totalFound": 7, "content": [
        {"changedOn": "2024-02-25T10:00:00.000Z", "status": "REJECTED"},
        {"changedOn": "2024-02-10T10:00:00.000Z", "status": "NEW"},
        {"changedOn": "2024-02-12T10:00:00.000Z", "status": "IN_REVIEW", "subStatus": "Phone screen"},
        {"changedOn": "2024-02-15T10:00:00.000Z", "status": "REJECTED"},
        {"changedOn": "2024-02-20T10:00:00.000Z", "status": "IN_REVIEW", "subStatus": "Old stage"},
        {"changedOn": "2024-02-25T10:00:00.000Z", "status": "REJECTED"},
        {"status": "NEW"}]},
    c5={"totalFound": 14, "content": [
        {"id": "q-radio", "type": "RADIO", "category": "SCREENING", "name": "permit", "label": "Work permit?", "records": rec(("yes", "Yes"))},
        {"id": "q-single", "type": "SELECT", "category": "SCREENING", "name": "notice", "label": "Notice period", "records": rec(("2w", "2 weeks"))},
        {"id": "q-multi", "type": "select", "category": "SCREENING", "name": "langs", "label": "Languages you speak", "records": rec(("de", "German"))},
        {"id": "q-select", "type": "SELECT", "category": "SCREENING", "name": "office", "label": "Preferred office", "records": [{"fields": [{"id": "f", "values": [{"id": "ber", "label": "Berlin"}]}, {"id": "g", "values": [{"id": "lon", "label": "London"}]}]}]},
        {"id": "q-text", "type": "TEXT", "category": "SCREENING", "name": "github", "label": "", "records": rec((None, "https://github.com/alice"))},
        {"id": "q-area", "type": "TEXTAREA", "category": "SCREENING", "name": "letter", "label": "Cover letter", "records": rec((None, "Dear team,\n<I> \"love\" Go & Arrow."))},
        {"id": "q-check", "type": "CHECKBOX", "category": "DIVERSITY", "name": "veteran", "label": "I identify as a veteran", "records": rec(("TRUE", "Checked"))},
        {"id": "q-ack", "type": "ACKNOWLEDGEMENT", "category": "SCREENING", "name": "privacy", "label": "Privacy read", "records": rec((None, "yes"))},
        {"id": "q-check-no", "type": "Checkbox", "category": "SCREENING", "name": "relocate", "label": "Willing to relocate", "records": rec(("0", "Unchecked"))},
        {"id": "q-file", "type": "FILE", "category": "SCREENING", "name": "portfolio", "label": "Upload a portfolio", "records": [{"fields": [{"id": "f", "values": [{"id": "file-1", "label": "portfolio.pdf"}]}]}]},
        {"id": "q-date", "type": "DATE", "category": "SCREENING", "name": "start", "label": "Earliest start"},
        {"id": "legacy-q", "type": "TEXT", "category": "SCREENING", "name": "legacy", "label": "A question no posting asks", "records": []},
        {"type": "RADIO", "name": "orphan", "label": "Answer without question id", "records": rec(("a", "A"))},
        {"id": "q-radio-empty", "type": "RADIO", "name": "empty", "label": "Radio without values", "records": [{"fields": []}]}]},
    c6={"totalFound": 4, "content": [
        {"id": "p-score", "label": "Score", "type": "SINGLE_SELECT", "value": {"id": "sy", "label": "Strong yes"}, "valueLabel": "Strong yes 👍"},
        {"id": "p-salary", "label": "Expected salary", "type": "CURRENCY", "value": {"code": "EUR", "value": 65000}},
        {"id": "p-years", "label": "Years", "type": "NUMBER", "value": 7},
        {"id": "p-empty", "type": "TEXT"}]},
    c7={"totalFound": 3, "content": [
        {"id": "offer-1", "status": "PENDING_ACCEPTANCE", "createdOn": "2024-02-22T10:00:00.000Z", "updatedOn": "2024-02-23T10:00:00.000Z", "properties": {"salary": "65000", "Signing bonus": "5 000 €", "currency": "EUR"}},
        {"id": "offer-2", "status": "NOT_APPROVED", "createdOn": "2024-02-21T10:00:00.000Z", "updatedOn": "2024-02-21T11:00:00.000Z"},
        {"status": "CREATED"}]},
    i1={"totalFound": 2, "content": [
        {"id": "iv-1", "jobId": "job-1", "organizerId": "5f0000000000000000000001", "location": "HQ Berlin, Room 4.12", "timezone": "Europe/Berlin", "createdOn": "2024-02-13T10:00:00.000Z", "timeslots": [
            {"id": "ts-1", "title": "Technical interview", "interviewType": "VIDEO", "place": "Zoom", "startsOn": "2024-02-14T09:00:00.000Z", "endsOn": "2024-02-14T10:00:00.000Z", "candidateStatus": "declined",
             "interviewers": [{"id": "5f0000000000000000000001", "status": "accepted"}, {"id": "5f0000000000000000000002", "status": "pending"}, {"id": "5f0000000000000000000001", "status": "accepted"}, {"status": "accepted"}]},
            {"id": "ts-2", "interviewType": "ONSITE", "startsOn": "2024-02-15T09:00:00.000+0100", "endsOn": "2024-02-15T10:30:00.000+01:00", "candidateStatus": "accepted", "interviewers": []},
            {"title": "slot without id", "startsOn": "2024-02-16T09:00:00.000Z"}]},
        {"jobId": "job-1", "timeslots": []}]})
app("cand-1", "job-2",
    c3={"applicationId": "app-12", "candidateId": "cand-1", "jobId": "job-2", "status": "INTERVIEW", "subStatus": "Ärztlich", "source": "Referral"},
    c4={"totalFound": 4, "content": [
        {"changedOn": "2024-02-11T10:00:00.000Z", "status": "NEW"},
        {"changedOn": "2024-02-12T10:00:00.000Z", "status": "IN_REVIEW", "subStatus": "Legacy review"},
        {"changedOn": "2024-02-13T10:00:00.000Z", "status": "PAUSED", "subStatus": "Waiting"},
        {"changedOn": "2024-02-14T10:00:00.000Z", "status": "INTERVIEW", "subStatus": "Ärztlich"}]},
    c5={"totalFound": 0, "content": []}, c6={"totalFound": 0, "content": []}, c7={"totalFound": 0, "content": []}, i1={"totalFound": 0, "content": []})

c2_summary = {"id": "cand-2", "firstName": "Bruno", "lastName": "Keller", "email": "not-an-email", "createdOn": "2024-02-11T10:00:00.000Z", "updatedOn": "2024-02-11T11:00:00.000Z",
              "tags": ["JAVA", "Remote", "remote "], "primaryAssignment": {"job": {"id": "job-1"}, "status": "HIRED"}, "secondaryAssignments": [{"job": {"id": "job-2"}, "status": "WITHDRAWN"}]}
c2_details = {"id": "cand-2", "firstName": "Bruno", "lastName": "Keller", "location": {"city": "Zürich", "country": "Switzerland"}, "web": {}, "experience": [{"title": "Sales", "company": "Past AG", "current": False}],
              "createdOn": "2024-02-11T10:00:00.000Z", "updatedOn": "2024-02-11T11:00:00.000Z", "primaryAssignment": {"job": {"id": "job-1"}, "status": "HIRED"}}
doc("candidate", "cand-2", {C1: c2_summary, C2: c2_details})
app("cand-2", "job-1",
    c3={"applicationId": "app-21", "candidateId": "cand-2", "jobId": "job-1", "status": "HIRED"},
    c4={"totalFound": 3, "content": [
        {"changedOn": "2024-02-11T10:00:00.000Z", "status": "NEW"},
        {"changedOn": "2024-02-12T10:00:00.000Z", "status": "REJECTED"},
        {"changedOn": "2024-02-28T10:00:00.000Z", "status": "HIRED"}]},
    c5={"totalFound": 0, "content": []}, c7={"totalFound": 1, "content": [{"id": "offer-3", "status": "ACCEPTED", "createdOn": "2024-02-26T10:00:00.000Z", "updatedOn": "2024-02-27T10:00:00.000Z", "properties": {}}]},
    i1={"totalFound": 0, "content": []})
app("cand-2", "job-2",
    c3={"applicationId": "app-22", "candidateId": "cand-2", "jobId": "job-2", "status": "WITHDRAWN", "reasonOfWithdrawal": {"id": "w1", "label": "Took another offer"}},
    c4={"totalFound": 1, "content": [{"changedOn": "2024-02-11T10:00:00.000Z", "status": "WITHDRAWN"}]})

c3_summary = {"id": "cand-3", "firstName": "Chen", "lastName": "Wei", "createdOn": "2024-03-01T00:00:00.000Z", "updatedOn": "2024-03-01T00:00:00.000Z", "primaryAssignment": {"job": {"id": "job-3"}, "status": "NEW"}}
c3_details = {"id": "cand-3", "firstName": "Chen", "lastName": "Wei", "phoneNumber": "   ", "web": {"skype": "chen.wei"}, "tags": ["Urgent", "urgent"],
              "createdOn": "2024-03-01T00:00:00.000Z", "updatedOn": "2024-03-01T00:00:00.000Z", "primaryAssignment": {"job": {"id": "job-3"}, "status": "NEW", "source": "Career site"}}
doc("candidate", "cand-3", {C1: c3_summary, C2: c3_details})
app("cand-3", "job-3", c3={"applicationId": "app-33", "candidateId": "cand-3", "jobId": "job-3", "status": "NEW"}, c4={"totalFound": 0, "content": []})
app("cand-3", "job-9", c3={"applicationId": "app-39", "status": "LEAD"}, c5={"totalFound": 1, "content": [{"id": "q-radio", "type": "RADIO", "records": "oops"}]})

doc("candidate", "cand-4", {C1: {"id": "cand-4", "firstName": "Broken"}, C2: {"id": "cand-4", "experience": "not a list"}})
doc("application", "cand-4:job-1", {C3: {"applicationId": "app-41", "status": "NEW"}})
# current stage = a sub-status of the inactive process only (no history at all)
doc("application", "cand-5:job-1", {"_candidateId": "cand-5", "_jobId": "job-1", C3: {"applicationId": "app-51", "status": "IN_REVIEW", "subStatus": "Legacy review"}})
doc("_skipped", "cand-6", {"endpoint": "/candidates/{id}", "error": "GET /candidates/cand-6: HTTP 404"})
doc("mystery_kind", "m-1", {})
docs.append({"kind": "candidate", "key": "cand-7", "body": "not json"})
marker("candidates")

with open("tenant.jsonl", "w") as f:
    for d in docs:
        if isinstance(d["body"], str):
            f.write('{"kind": %s, "key": %s, "body": %s}\n' % (json.dumps(d["kind"]), json.dumps(d["key"]), json.dumps(d["body"])))
        else:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
print(len(docs))
