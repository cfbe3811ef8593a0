package smartrecruiters

import "github.com/atslake/atslake/schemas"

// Column positions of every table the mapper fills.

func col(table, name string) int { return schemas.MustLookup(table).MustCol(name) }

var (
	usersFirstName  = col("users", "first_name")
	usersLastName   = col("users", "last_name")
	usersEmail      = col("users", "email")
	usersStatus     = col("users", "status")
	usersRemoteData = col("users", "remote_data")

	rolesRemoteLabel = col("roles", "remote_label")
	rolesScope       = col("roles", "scope")
	rolesUnifiedType = col("roles", "unified_type")

	userRolesUserID = col("user_roles", "user_id")
	userRolesRoleID = col("user_roles", "role_id")

	reasonsName       = col("rejection_reasons", "name")
	reasonsRemoteData = col("rejection_reasons", "remote_data")

	jobsName              = col("jobs", "name")
	jobsJobCode           = col("jobs", "job_code")
	jobsDescription       = col("jobs", "description")
	jobsEmploymentType    = col("jobs", "employment_type")
	jobsStatus            = col("jobs", "status")
	jobsVisibility        = col("jobs", "visibility")
	jobsCategory          = col("jobs", "category")
	jobsDepartment        = col("jobs", "department")
	jobsExperienceLevel   = col("jobs", "experience_level")
	jobsPostURL           = col("jobs", "post_url")
	jobsRemoteURL         = col("jobs", "remote_url")
	jobsSalaryFrom        = col("jobs", "salary_amount_from")
	jobsSalaryTo          = col("jobs", "salary_amount_to")
	jobsSalaryCurrency    = col("jobs", "salary_currency")
	jobsSalaryPeriod      = col("jobs", "salary_period")
	jobsLocation          = col("jobs", "location")
	jobsCustomFields      = col("jobs", "custom_fields")
	jobsIntegrationFields = col("jobs", "integration_fields")
	jobsOpenedAt          = col("jobs", "opened_at")
	jobsRemoteCreatedAt   = col("jobs", "remote_created_at")
	jobsRemoteUpdatedAt   = col("jobs", "remote_updated_at")
	jobsRemoteData        = col("jobs", "remote_data")

	postingsTitle           = col("job_postings", "title")
	postingsDescriptionHTML = col("job_postings", "description_html")
	postingsStatus          = col("job_postings", "status")
	postingsVisibility      = col("job_postings", "visibility")
	postingsURL             = col("job_postings", "url")
	postingsJobID           = col("job_postings", "job_id")
	postingsRemoteData      = col("job_postings", "remote_data")
	postingsRemoteCreatedAt = col("job_postings", "remote_created_at")

	membersJobID  = col("job_hiring_team_members", "job_id")
	membersUserID = col("job_hiring_team_members", "user_id")
	membersRoles  = col("job_hiring_team_members", "roles")

	assignmentsJobUserID = col("job_user_role_assignments", "job_user_id")
	assignmentsRoleID    = col("job_user_role_assignments", "role_id")

	jobStagesJobID   = col("job_stages", "job_id")
	jobStagesStageID = col("job_stages", "stage_id")
	jobStagesIndex   = col("job_stages", "index")

	questionsTitle       = col("screening_questions", "title")
	questionsDescription = col("screening_questions", "description")
	questionsFormat      = col("screening_questions", "format")
	questionsCategory    = col("screening_questions", "category")

	jsqJobID                = col("job_screening_questions", "job_id")
	jsqQuestionID           = col("job_screening_questions", "question_id")
	jsqIndex                = col("job_screening_questions", "index")
	jsqRequired             = col("job_screening_questions", "required")
	jsqPreconditionQuestion = col("job_screening_questions", "precondition_question_id")
	jsqPreconditionOptions  = col("job_screening_questions", "precondition_options")

	candFirstName         = col("candidates", "first_name")
	candLastName          = col("candidates", "last_name")
	candCompany           = col("candidates", "company")
	candTitle             = col("candidates", "title")
	candSource            = col("candidates", "source")
	candPhoneNumbers      = col("candidates", "phone_numbers")
	candEmailAddresses    = col("candidates", "email_addresses")
	candSocialMedia       = col("candidates", "social_media")
	candLocation          = col("candidates", "location")
	candCustomFields      = col("candidates", "custom_fields")
	candIntegrationFields = col("candidates", "integration_fields")
	candRemoteURL         = col("candidates", "remote_url")
	candRemoteCreatedAt   = col("candidates", "remote_created_at")
	candRemoteUpdatedAt   = col("candidates", "remote_updated_at")
	candRemoteData        = col("candidates", "remote_data")

	tagsName       = col("tags", "name")
	tagsRemoteData = col("tags", "remote_data")

	candTagsCandidateID = col("candidate_tags", "candidate_id")
	candTagsTagID       = col("candidate_tags", "tag_id")

	stagesName        = col("application_stages", "name")
	stagesGlobalIndex = col("application_stages", "global_index")

	appsOutcome             = col("applications", "outcome")
	appsRejectionReasonName = col("applications", "rejection_reason_name")
	appsRejectedAt          = col("applications", "rejected_at")
	appsCurrentStageID      = col("applications", "current_stage_id")
	appsJobID               = col("applications", "job_id")
	appsCandidateID         = col("applications", "candidate_id")
	appsAnswers             = col("applications", "screening_question_answers")
	appsCustomFields        = col("applications", "custom_fields")
	appsIntegrationFields   = col("applications", "integration_fields")
	appsRemoteURL           = col("applications", "remote_url")
	appsRemoteData          = col("applications", "remote_data")
	appsRemoteCreatedAt     = col("applications", "remote_created_at")
	appsRemoteUpdatedAt     = col("applications", "remote_updated_at")

	historyApplicationID = col("application_status_history", "application_id")
	historyStageID       = col("application_status_history", "stage_id")
	historyStatus        = col("application_status_history", "status")
	historySubStatus     = col("application_status_history", "sub_status")
	historyEnteredAt     = col("application_status_history", "entered_at")

	offersStatus            = col("offers", "status")
	offersApplicationID     = col("offers", "application_id")
	offersCustomFields      = col("offers", "custom_fields")
	offersIntegrationFields = col("offers", "integration_fields")
	offersRemoteCreatedAt   = col("offers", "remote_created_at")
	offersRemoteUpdatedAt   = col("offers", "remote_updated_at")
	offersRemoteData        = col("offers", "remote_data")

	interviewsTitle         = col("interviews", "title")
	interviewsStartingAt    = col("interviews", "starting_at")
	interviewsEndingAt      = col("interviews", "ending_at")
	interviewsLocation      = col("interviews", "location")
	interviewsApplicationID = col("interviews", "application_id")
	interviewsCanceled      = col("interviews", "canceled")
	interviewsRemoteData    = col("interviews", "remote_data")

	itmInterviewID = col("interviewing_team_members", "interview_id")
	itmUserID      = col("interviewing_team_members", "user_id")
)
