package fake

// Name is a given or family name, with its romanization when it is not
// written in Latin script.
type Name struct {
	Native string
	Latin  string // "" when Native is Latin script
}

func (n Name) latin() string {
	if n.Latin != "" {
		return n.Latin
	}
	return n.Native
}

// City is a city with its first-level region.
type City struct {
	Name, Region, RegionCode string
	Postal                   string // postal code pattern: '#' digit, '@' capital letter
}

// Country holds the locale data of one country.
type Country struct {
	Code        string // ISO 3166 alpha-2, upper-case
	Name        string // English name
	Language    string // main language code (e.g. "de")
	LangLabel   string // English name of the language
	Currency    string // ISO 4217
	PhoneFormat string // '#' = digit
	FirstNames  []Name
	LastNames   []Name
	Cities      []City
	Streets     []string // "{n}" = house number
}

func latin(ss ...string) []Name {
	out := make([]Name, len(ss))
	for i, s := range ss {
		out[i] = Name{Native: s}
	}
	return out
}

func pairs(ss ...string) []Name {
	out := make([]Name, 0, len(ss)/2)
	for i := 0; i+1 < len(ss); i += 2 {
		out = append(out, Name{Native: ss[i], Latin: ss[i+1]})
	}
	return out
}

// Countries are the countries people and places come from.
var Countries = []*Country{
	{
		Code: "US", Name: "United States", Language: "en", LangLabel: "English", Currency: "USD",
		PhoneFormat: "+1 ###-555-####",
		FirstNames:  latin("James", "Mary", "Robert", "Patricia", "Michael", "Jennifer", "David", "Linda", "Olivia", "Liam", "Noah", "Emma", "Ava", "Sophia", "Mason", "Isabella", "DeShawn", "Zoë"),
		LastNames:   latin("Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Wilson", "Anderson", "O'Connor", "Nguyen", "Kowalski", "Van der Berg"),
		Cities: []City{
			{"New York", "New York", "NY", "100##"}, {"San Francisco", "California", "CA", "941##"},
			{"Austin", "Texas", "TX", "787##"}, {"Chicago", "Illinois", "IL", "606##"},
			{"Seattle", "Washington", "WA", "981##"}, {"Boston", "Massachusetts", "MA", "021##"},
		},
		Streets: []string{"{n} Main Street", "{n} Market St, Suite 400", "{n} Broadway", "{n} Elm Avenue"},
	},
	{
		Code: "DE", Name: "Germany", Language: "de", LangLabel: "German", Currency: "EUR",
		PhoneFormat: "+49 30 ########",
		FirstNames:  latin("Jürgen", "Lukas", "Günter", "Sophie", "Maximilian", "Lena", "Jörg", "Anna", "Felix", "Hannah", "Björn", "Käthe"),
		LastNames:   latin("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schäfer", "Koch", "Groß", "Bäcker"),
		Cities: []City{
			{"Berlin", "Berlin", "BE", "10###"}, {"München", "Bayern", "BY", "80###"},
			{"Hamburg", "Hamburg", "HH", "20###"}, {"Köln", "Nordrhein-Westfalen", "NW", "50###"},
			{"Frankfurt am Main", "Hessen", "HE", "60###"},
		},
		Streets: []string{"Hauptstraße {n}", "Friedrichstraße {n}", "Königsallee {n}", "Schloßstraße {n}"},
	},
	{
		Code: "FR", Name: "France", Language: "fr", LangLabel: "French", Currency: "EUR",
		PhoneFormat: "+33 1 ## ## ## ##",
		FirstNames:  latin("Élodie", "François", "Léa", "Chloé", "Théo", "Hélène", "Jérôme", "Maëlle", "Noël", "Zoé", "Aurélien", "Inès"),
		LastNames:   latin("Martin", "Bernard", "Dubois", "Thomas", "Lefèvre", "Girard", "Rousseau", "Fontaine", "Chevalier", "Bérenger", "Da Costa"),
		Cities: []City{
			{"Paris", "Île-de-France", "IDF", "750##"}, {"Lyon", "Auvergne-Rhône-Alpes", "ARA", "6900#"},
			{"Marseille", "Provence-Alpes-Côte d'Azur", "PAC", "130##"}, {"Toulouse", "Occitanie", "OCC", "310##"},
		},
		Streets: []string{"{n} rue de la Paix", "{n} avenue des Champs-Élysées", "{n} boulevard Saint-Michel", "{n} place Bellecour"},
	},
	{
		Code: "GB", Name: "United Kingdom", Language: "en", LangLabel: "English", Currency: "GBP",
		PhoneFormat: "+44 20 7946 ####",
		FirstNames:  latin("Oliver", "Amelia", "Harry", "Isla", "George", "Charlotte", "Jack", "Freya", "Alfie", "Poppy", "Siobhán"),
		LastNames:   latin("Smith", "Jones", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Roberts", "Walker", "Ó Briain"),
		Cities: []City{
			{"London", "England", "ENG", "@@# #@@"}, {"Manchester", "England", "ENG", "M# #@@"},
			{"Edinburgh", "Scotland", "SCT", "EH# #@@"}, {"Cardiff", "Wales", "WLS", "CF## #@@"},
		},
		Streets: []string{"{n} High Street", "{n} Baker Street", "Flat {n}, Victoria Road", "{n} Queen's Gate"},
	},
	{
		Code: "ES", Name: "Spain", Language: "es", LangLabel: "Spanish", Currency: "EUR",
		PhoneFormat: "+34 91 ### ## ##",
		FirstNames:  latin("Alejandro", "Lucía", "Sofía", "Martín", "Íñigo", "Begoña", "Ángel", "Nuria", "José María"),
		LastNames:   latin("García", "Fernández", "González", "Rodríguez", "López", "Sánchez", "Pérez", "Peña", "Muñoz", "Ibáñez"),
		Cities: []City{
			{"Madrid", "Comunidad de Madrid", "MD", "280##"}, {"Barcelona", "Cataluña", "CT", "080##"},
			{"Sevilla", "Andalucía", "AN", "410##"}, {"Bilbao", "País Vasco", "PV", "480##"},
		},
		Streets: []string{"Calle Mayor {n}", "Gran Vía {n}", "Passeig de Gràcia {n}", "Avenida de la Constitución {n}"},
	},
	{
		Code: "JP", Name: "Japan", Language: "ja", LangLabel: "Japanese", Currency: "JPY",
		PhoneFormat: "+81 3-####-####",
		FirstNames:  pairs("翔太", "Shota", "陽菜", "Hina", "大翔", "Hiroto", "結衣", "Yui", "蓮", "Ren", "さくら", "Sakura", "健", "Ken", "美咲", "Misaki"),
		LastNames:   pairs("佐藤", "Sato", "鈴木", "Suzuki", "高橋", "Takahashi", "田中", "Tanaka", "渡辺", "Watanabe", "伊藤", "Ito", "山本", "Yamamoto", "中村", "Nakamura"),
		Cities: []City{
			{"東京", "東京都", "13", "1##-####"}, {"大阪", "大阪府", "27", "5##-####"},
			{"Kyoto", "Kyoto", "26", "60#-####"}, {"Fukuoka", "Fukuoka", "40", "81#-####"},
		},
		Streets: []string{"千代田区丸の内{n}-1", "渋谷区神南1-{n}", "{n}-3 Nishi-Shinjuku", "中央区銀座{n}丁目"},
	},
	{
		Code: "CN", Name: "China", Language: "zh", LangLabel: "Chinese", Currency: "CNY",
		PhoneFormat: "+86 138 #### ####",
		FirstNames:  pairs("伟", "Wei", "芳", "Fang", "娜", "Na", "秀英", "Xiuying", "敏", "Min", "静", "Jing"),
		LastNames:   pairs("王", "Wang", "李", "Li", "张", "Zhang", "刘", "Liu", "陈", "Chen", "杨", "Yang"),
		Cities: []City{
			{"上海", "上海市", "SH", "200###"}, {"北京", "北京市", "BJ", "100###"},
			{"Shenzhen", "Guangdong", "GD", "518###"},
		},
		Streets: []string{"南京西路{n}号", "长安街{n}号", "{n} Century Avenue"},
	},
	{
		Code: "BR", Name: "Brazil", Language: "pt", LangLabel: "Portuguese", Currency: "BRL",
		PhoneFormat: "+55 11 9####-####",
		FirstNames:  latin("João", "Maria", "José", "Ana", "Luíza", "Conceição", "Antônio", "Fernanda", "Thiago", "Gonçalo"),
		LastNames:   latin("Silva", "Santos", "Oliveira", "Souza", "Pereira", "Lima", "Gonçalves", "Araújo", "Ribeiro", "Carvalho"),
		Cities: []City{
			{"São Paulo", "São Paulo", "SP", "01###-###"}, {"Rio de Janeiro", "Rio de Janeiro", "RJ", "20###-###"},
			{"Belo Horizonte", "Minas Gerais", "MG", "30###-###"}, {"Curitiba", "Paraná", "PR", "80###-###"},
		},
		Streets: []string{"Avenida Paulista, {n}", "Rua Oscar Freire, {n}", "Rua das Flores, {n}"},
	},
	{
		Code: "IN", Name: "India", Language: "en", LangLabel: "English", Currency: "INR",
		PhoneFormat: "+91 9#### #####",
		FirstNames:  latin("Aarav", "Priya", "Vihaan", "Ananya", "Arjun", "Diya", "Rohan", "Isha", "Sai", "Kavya"),
		LastNames:   latin("Sharma", "Patel", "Singh", "Kumar", "Gupta", "Reddy", "Iyer", "Nair", "Mehta", "Chatterjee"),
		Cities: []City{
			{"Bengaluru", "Karnataka", "KA", "560###"}, {"Mumbai", "Maharashtra", "MH", "400###"},
			{"New Delhi", "Delhi", "DL", "110###"}, {"Chennai", "Tamil Nadu", "TN", "600###"},
			{"Hyderabad", "Telangana", "TG", "500###"},
		},
		Streets: []string{"{n} MG Road", "{n} Residency Road", "Plot {n}, HITEC City", "{n} Marine Drive"},
	},
}

var companies = []string{
	"Acme Corporation", "Globex", "Initech", "Umbrella GmbH", "Northwind Traders", "Contoso Ltd",
	"Müller & Söhne KG", "Société Générale de Café", "株式会社サクラ", "Padaria Pão de Açúcar",
	"Tata Widgets Pvt Ltd", "Hooli", "Pied Piper", "Stark Industries", "Wayne Enterprises",
	"Cyberdyne Systems", "Soylent Corp", "Vandelay Industries", "Bluth Company", "Dunder Mifflin",
	"阿里云科技", "Zürcher Kantonal Software AG", "Ñandú Logística S.L.",
}

var seniorities = []string{"", "", "", "Senior ", "Junior ", "Lead ", "Principal ", "Staff "}

var titles = []string{
	"Software Engineer", "Product Manager", "Data Scientist", "Account Executive",
	"Customer Success Manager", "UX Designer", "DevOps Engineer", "Technical Recruiter",
	"Financial Analyst", "Marketing Manager", "Sales Development Representative",
	"Site Reliability Engineer", "Backend Engineer (Go)", "Frontend Engineer – React",
	"HR Business Partner", "Supply Chain Analyst", "Registered Nurse", "Warehouse Associate",
	"Payroll Specialist", "Solutions Architect", "Legal Counsel", "Office Manager",
}

var localTitles = []string{
	"Ingénieur logiciel", "Softwareentwickler (m/w/d)", "データエンジニア", "Desenvolvedor Back-end",
	"Chef de projet digital", "Vertriebsmitarbeiter Außendienst", "プロダクトマネージャー",
	"Analista de Dados Sênior", "Responsable RH", "数据分析师",
}

var sentences = []string{
	"We are looking for a curious, driven person to join our growing team.",
	"You will work closely with engineering, design and sales.",
	"Our mission is to make hiring fair & transparent for everyone.",
	"Nous recherchons un(e) candidat(e) motivé(e) pour rejoindre notre équipe à Paris.",
	"Wir bieten flexible Arbeitszeiten, ein großartiges Team und Weiterbildung.",
	"私たちは世界中のチームと一緒に働く仲間を探しています。",
	"Oferecemos vale-refeição, plano de saúde e horário flexível.",
	"Buscamos a alguien con pasión por la tecnología y el diseño.",
	"Remote-friendly 🌍 with offices in Berlin, São Paulo and Tokyo.",
	"Join us and ship features used by millions 🚀.",
	"You care about quality, tests and clear communication ✨.",
	"Experience with cloud platforms (AWS, GCP or Azure) is a plus.",
	"Competitive salary, equity and 30 days of paid holiday.",
	"我们重视多元化与包容性。",
	"Candidates must be authorized to work in the country of the role.",
	"Café, croissants et bonne humeur garantis ☕.",
}

var bullets = []string{
	"3+ years of professional experience", "Fluent English; French or German is a plus",
	"Strong communication skills", "Experience with SQL and data modelling",
	"Ownership mindset & bias for action", "Familiarity with CI/CD pipelines",
	"A degree in a relevant field or equivalent experience", "Empathy for customers",
	"Maîtrise du pack Office", "Gute Deutschkenntnisse", "日本語ビジネスレベル",
	"Experience leading small teams", "Comfortable with ambiguity 🙂",
}

var skills = []string{
	"Java", "Go", "Python", "Kubernetes", "SQL", "React", "Sales", "Leadership", "Remote",
	"Referral", "Top Talent", "Silver Medalist", "Relocation", "Visa Sponsorship", "Bilingual",
	"Français", "Deutsch", "日本語", "Café ☕", "Rockstar 🎸", "Night Shift", "Boomerang",
	"Campus", "Diversity Hire", "Do Not Contact", "Machine Learning", "AWS", "Excel",
	"Customer Service", "Forklift", "Nursing", "Réseau", "Überqualifiziert", "Portfolio",
	"Open Source", "Hackathon", "Veteran", "Part-time OK", "Startup", "Enterprise",
}
