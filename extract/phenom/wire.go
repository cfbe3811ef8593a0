package phenom

// Source-specific names of the Phenom API beyond the paths of docs.go, kept
// in one place so a correction against a real tenant is a one-file change.
const (
	// token call (form keys are camel-case, not the OAuth2 names)
	formClientID     = "clientId"
	formClientSecret = "clientSecret"
	fieldExpiresIn   = "expires_in" // optional property of the token reply
	claimExp         = "exp"        // JWT claim holding the expiry (unix seconds)

	// list paging
	paramSiteType   = "siteType"
	itemsKey        = "data"
	jobsTotalKey    = "totalRecordsCount"
	pageLimit       = 100
	defaultSiteType = "external"

	// item keys
	jobKeyField         = "jobId"
	applicationKeyField = "applicationId"
)
