package smartrecruiters

// Fixed vocabularies of the simulated tenant.

var systemRoles = []idLabel{
	{"ADMINISTRATOR", "Administrator"},
	{"EXTENDED", "Extended"},
	{"STANDARD", "Standard"},
	{"RESTRICTED", "Restricted"},
	{"EMPLOYEE", "Employee"},
}

const customSystemRoleName = "Talent Partner ⭐"

// jobTeamRoles are the hiring-team roles; the last ones are custom role names.
var (
	standardTeamRoles = []string{"HIRING_MANAGER", "RECRUITER", "COORDINATOR", "INTERVIEW_TEAM", "EXECUTIVE"}
	customTeamRoles   = []string{"Hiring Committee Chair", "Sourcer (Agency)", "Onboarding Buddy 🤝"}
)

type processTemplate struct {
	name   string
	active bool
	sub    [3][]string
}

// processTemplates: the hiring processes. The first is active (the default
// process of jobs without hiringProcessId); labels repeat across processes.
var processTemplates = []processTemplate{
	{"Standard process", true, [3][]string{{"Screening call", "Hiring manager review", "Assessment"}, {"Phone interview", "Technical interview", "Onsite"}, {"Offer prepared", "Offer sent"}}},
	{"Engineering", true, [3][]string{{"Screening call", "Coding challenge"}, {"Technical interview", "System design", "Team fit 🤝"}, {"Offer sent", "Négociation"}}},
	{"Legacy 2022 process", false, [3][]string{{"Legacy phone screen", "Screening call"}, {"Legacy panel"}, {"Verbal offer (legacy)"}}},
	{"Executive search", true, [3][]string{{"Headhunter review", "Board shortlist"}, {"CEO interview", "Board interview"}, {"Contract drafting"}}},
	{"Campus hiring", true, [3][]string{{"CV screen"}, {"Assessment centre", "面接 (一次)"}, {"Offer sent"}}},
	{"Retail stores (old)", false, [3][]string{{"Store visit"}, {"Store manager chat"}, {}}},
}

// Indexes into processTemplates used by the quirk fixtures.
const (
	procStandard = 0
	procLegacy   = 2
)

// Sub-statuses that no hiring process lists any more (deleted stages).
const (
	deletedInterviewSub = "Panel interview – old"
	deletedReviewSub    = "Recruiter screen (deleted)"
	deletedOfferSub     = "Verbal offer"
)

var rejectionLabels = []string{
	"Not qualified", "Position filled", "Salary expectations too high", "Failed assessment",
	"Candidate not responsive", "Location mismatch", "Visa requirements not met", "Duplicate application",
	"Überqualifiziert", "Profil non retenu", "Better candidate selected", "Failed background check",
	"経験不足",
}

var withdrawalLabels = []string{
	"Accepted another offer", "Compensation", "Relocation not possible", "Personal reasons", "Process too long",
}

var departments = []string{
	"Engineering", "Product", "Sales", "Marketing", "Customer Success", "Finance", "People & Culture",
	"Operations", "Legal", "Recherche & Développement", "Logistik",
}

var employmentTypes = []idLabel{
	{"permanent", "Full-time"}, {"permanent", "Full-time"}, {"permanent", "Full-time"},
	{"part_time", "Part-time"}, {"contract", "Contract"}, {"intern", "Internship"},
	{"seasonal", "Seasonal"}, {"temporary", "Temporary"}, {"full_time", ""}, {"other", "Per diem"},
}

var functions = []idLabel{
	{"information_technology", "Information Technology"}, {"engineering", "Engineering"},
	{"sales", "Sales"}, {"marketing", "Marketing"}, {"finance", "Finance"},
	{"human_resources", "Human Resources"}, {"customer_service", "Customer Service"},
	{"health_care_provider", "Health Care Provider"},
}

var industries = []idLabel{
	{"computer_software", "Computer Software"}, {"financial_services", "Financial Services"},
	{"retail", "Retail"}, {"hospital_health_care", "Hospital & Health Care"},
	{"logistics_and_supply_chain", "Logistics and Supply Chain"},
}

var experienceLevels = []idLabel{
	{"entry_level", "Entry Level"}, {"associate", "Associate"}, {"mid_senior_level", "Mid-Senior Level"},
	{"director", "Director"}, {"executive", "Executive"}, {"internship", "Internship"},
}

var compPeriods = []string{"YEAR", "YEAR", "Month", "per hour", "bi-weekly", "WEEK", "Daily", "annual", ""}

type propDef struct {
	label  string
	values []string
}

var jobPropDefs = []propDef{
	{"Cost center", []string{"CC-100 Engineering", "CC-200 Sales", "CC-300 G&A"}},
	{"Remote policy", []string{"Hybrid", "Remote", "On-site"}},
	{"Hiring priority", []string{"P1 – urgent", "P2", "P3"}},
	{"Budget approved", []string{"Yes", "No"}},
	{"Business unit", []string{"EMEA", "APAC", "AMER", "LATAM"}},
}

var sources = []string{
	"LinkedIn", "Indeed", "Company website", "Employee referral", "Agency: Hays", "Glassdoor",
	"XING", "Career fair 🎓", "Welcome to the Jungle", "Stepstone", "Sourced",
}

var interviewTypes = []string{"Video call", "Onsite", "Phone", "Panel", "Technical test"}

var interviewPlaces = []string{"Zoom", "Microsoft Teams", "Room 4.12", "Salle Eiffel", "会議室 A", ""}

var interviewLocations = []string{"Berlin HQ, Room Spree 🌊", "Paris – 12 rue de la Paix", "Remote", "São Paulo office", "東京オフィス"}

var timezones = []string{"Europe/Berlin", "Europe/Paris", "America/New_York", "America/Sao_Paulo", "Asia/Tokyo", "Asia/Kolkata", "UTC"}

var candStatuses = []string{"accepted", "accepted", "declined", "pending", "tentative"}

var offerStatuses = []string{"CREATED", "PENDING_APPROVAL", "APPROVED", "NOT_APPROVED", "ABANDONED", "PENDING_ACCEPTANCE", "ACCEPTED", "NOT_ACCEPTED"}

// questionTemplate describes a screening question; fields are (type, label, values).
type fieldTemplate struct {
	typ, label string
	required   bool
	values     []string
	compliance string
}

type questionTemplate struct {
	label      string
	repeatable bool
	fields     []fieldTemplate
}

// questionTemplates: the first seven cover every P2 field type, the next
// three are DIVERSITY questions.
var questionTemplates = []questionTemplate{
	{"Are you legally authorized to work in this country?", false, []fieldTemplate{{"RADIO", "Authorized", true, []string{"Yes", "No"}, ""}}},
	{"Which office would you prefer?", false, []fieldTemplate{{"SINGLE_SELECT", "Office", false, []string{"Berlin", "Paris", "São Paulo", "東京", "Remote 🌍"}, ""}}},
	{"Which languages do you speak?", false, []fieldTemplate{{"MULTI_SELECT", "Languages", false, []string{"English", "Deutsch", "Français", "日本語", "Português"}, ""}}},
	{"What are your salary expectations?", false, []fieldTemplate{{"INPUT_TEXT", "Expected salary", true, nil, ""}}},
	{"Tell us about a project you are proud of", false, []fieldTemplate{{"TEXTAREA", "Project", false, nil, ""}}},
	{"I agree to the processing of my personal data", false, []fieldTemplate{{"CHECKBOX", "I agree", true, []string{"true"}, ""}}},
	{"Please read our equal opportunity statement", false, []fieldTemplate{{"INFORMATION", "We are an equal opportunity employer.", false, nil, ""}}},
	{"Gender", false, []fieldTemplate{{"SINGLE_SELECT", "Gender", false, []string{"Female", "Male", "Non-binary", "Prefer not to say"}, "DIVERSITY"}}},
	{"Ethnicity", false, []fieldTemplate{{"MULTI_SELECT", "Ethnicity", false, []string{"Asian", "Black", "Hispanic or Latino", "White", "Two or more", "Prefer not to say"}, "DIVERSITY"}}},
	{"Veteran status", false, []fieldTemplate{{"RADIO", "Veteran", false, []string{"I am a veteran", "I am not a veteran", "Prefer not to say"}, "DIVERSITY"}}},
	{"Do you require visa sponsorship?", false, []fieldTemplate{{"RADIO", "Sponsorship", true, []string{"Yes", "No"}, ""}, {"INPUT_TEXT", "If yes, which visa?", false, nil, ""}}},
	{"Previous employers", true, []fieldTemplate{{"INPUT_TEXT", "Company", false, nil, ""}, {"INPUT_TEXT", "Job title", false, nil, ""}}},
	{"What is your notice period?", false, []fieldTemplate{{"SINGLE_SELECT", "Notice period", false, []string{"Immediately", "2 weeks", "1 month", "3 months"}, ""}}},
	{"Are you willing to relocate?", false, []fieldTemplate{{"CHECKBOX", "Willing to relocate", false, []string{"true"}, ""}}},
	{"Earliest start date", false, []fieldTemplate{{"INPUT_TEXT", "Start date", false, nil, ""}}},
	{"Lettre de motivation (facultatif)", false, []fieldTemplate{{"TEXTAREA", "Lettre", false, nil, ""}}},
	{"How did you hear about us?", false, []fieldTemplate{{"RADIO", "Channel", false, []string{"LinkedIn", "Friend", "Job board", "Event"}, ""}}},
	{"Disability status", false, []fieldTemplate{{"RADIO", "Disability", false, []string{"Yes", "No", "Prefer not to say"}, "DIVERSITY"}}},
	{"Welche Programmiersprachen beherrschen Sie?", false, []fieldTemplate{{"MULTI_SELECT", "Sprachen", false, []string{"Go", "Java", "Python", "TypeScript", "Rust 🦀"}, ""}}},
	{"Do you hold a driving licence?", false, []fieldTemplate{{"CHECKBOX", "Driving licence", false, []string{"true"}, ""}}},
}

// appPropDefs are the application custom fields (C6).
var appPropDefs = []struct {
	label, typ string
}{
	{"Expected salary", "CURRENCY"},
	{"Notice period (weeks)", "NUMBER"},
	{"Referred by", "TEXT"},
	{"Interview score", "SINGLE_SELECT"},
	{"Relocation approved", "BOOLEAN"},
	{"Start date", "DATE"},
	{"Skills assessed", "MULTI_SELECT"},
}
