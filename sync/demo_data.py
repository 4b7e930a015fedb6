"""The demo partnership: Bank Road and William Lilley infant schools (seed 002), written
for the school year of the day it is made (``Demo(today)``).

The joint action plan is the seed's ten rows, laid out as the seed lays it out (title
rows, its own headers, the area folded into the links column), so the demo exercises
the contract's messy cases; its text belongs to the demo's year, not to the seed's. The
schools' own workbooks use the contract's headers, with a few slips people really make.

Every date is placed from the day the demo is made: networks and visits in the weeks
before and after it (two past ones with finished impact forms), rows due ahead and a
few overdue, replies in the days before. Each plan also holds last year's, in tabs
titled with that year, for `demo init` to keep as the archive.
"""
import calendar as months
from datetime import date, datetime, time, timedelta

from domain import years
from domain.calendar import next_term, term_of

B = "\n• "  # bullets as people type them in a cell

SCHOOLS_HEADER = ["Code", "School", "Workbook", "Phase", "Head teacher", "Chair of governors"]
SCHOOLS = [
    ["BR", "Bank Road Infant and Nursery School", "bank-road.xlsx", "Infant and nursery", "Carole Clemens", "Andy Hitchcock"],
    ["WL", "William Lilley Infant and Nursery School", "william-lilley.xlsx", "Infant and nursery", "Sally Beardsley", "Kevin Snow"],
]

OBJECTIVES = [
    "Demonstrating a commitment to a sustained partnership between the Schools, creating a secure foundation in order to maximise chances of successful future partnerships.",
    "Continually reviewing and demonstrating, in a clear and transparent manner, the ways in which the Schools are and will continue to work together.",
    "Enhancing teaching, learning and curriculum opportunities for children of both Schools to improve learning outcomes and wellbeing.",
    "Enhancing the skills of, and career opportunities for staff.",
    "Improving the ability to meet the complex needs of a wide range of children.",
    "Enabling a more effective deployment of resources – both human and material – across both Schools in order to maximise opportunities for children and staff, through economies of scale.",
    "Strengthening the school links with the parent community across both Schools; to draw on the joint parent community for the good of both Schools; and to strengthen links with external parties.",
    "Validating teacher assessment and quality of provision at both Schools through joint evaluation and moderation exercises.",
    "Enabling greater problem solving opportunities through having a broader base of knowledge, experience and skills.",
    "All of the above objectives to be in line with local and national initiatives and statutory requirements.",
]

# The seed's own headers, plus the columns a live plan needs; no ID column yet:
# the first sync appends one and writes an ID into every row. (The bracket after
# "Impact top date" is the seed's, and the contract reads past it.)
JOINT_HEADER = [
    "Collaboration objective reference",
    "Key Objective/Action",
    "Specific actions to achieve key objectives",
    "The intended outcome/impact",
    "Impact top date (as at the last review)",
    "Lead",
    "Due",
    "Status",
    "Last updated",
]

# The coordinator's list of themes: some of the names schools use, not all, so the
# combined priorities show themes matched by the list and a few "Same theme?" questions.
THEMES_HEADER = ["Theme", "Also called"]
THEMES = [
    ["Emotional health and wellbeing", "Wellbeing; Mental health"],
    ["Writing", ""],
    ["Middle leaders", "Middle leadership"],
    ["30 hours provision in F1", "30 Hrs provision in F1, F1 30 hours"],
]

SCHOOL_ACTION_HEADER = [
    "ID", "Area", "Linked objectives", "Key objective", "Specific actions", "Intended outcome",
    "Impact to date", "Lead", "Due", "Status", "Last updated",
]
IMPACT_HEADER = ["ID", "Date", "Action", "Activity", "Summary", "Strengths", "Areas to develop", "Recorded by"]
SIP_HEADER = ["ID", "Priority", "Theme", "Detail", "Lead", "Status", "Share with partnership"]

# Bank Road's visitor links are in its Schools row; William Lilley has none yet (visitors
# are told to ask).
SCHOOL_LINKS_HEADER = ["Safeguarding policy", "Code of conduct"]
SCHOOL_LINKS = {
    "BR": ["https://bankroad.demo.school/policies/safeguarding.pdf",
           "https://bankroad.demo.school/policies/staff-code-of-conduct.pdf"],
    "WL": ["", ""],
}
SCHOOL_FILES = {"BR": "bank-road.xlsx", "WL": "william-lilley.xlsx"}

CALENDAR_HEADER = ["ID", "Date", "Time", "Type", "Focus", "Host school", "Invited schools", "Lead", "Status", "Notes"]
RSVP_HEADER = ["ID", "Event", "School", "Person", "Reply", "Note", "Replied"]

# The half-terms as Due cells name them, each with the months it runs (domain/dates.py).
HALF_TERMS = (("Autumn 1", 9, 10), ("Autumn 2", 11, 12), ("Spring 1", 1, 2), ("Spring 2", 3, 3),
              ("Summer 1", 4, 5), ("Summer 2", 6, 7))


def uk_date(day):
    """dd/mm/yyyy, as a UK sheet shows a date typed as text."""
    return day.strftime("%d/%m/%Y")


def school_day(day, forward=True):
    """The day itself on a weekday, else the Monday after (or the Friday before)."""
    while day.weekday() >= 5:
        day += timedelta(days=1 if forward else -1)
    return day


class Demo:
    """The demo partnership as of ``today``: every date placed from it.

    ``year`` is the school year of the day (2026: 2026 to 2027); ``last`` the one before,
    whose plans are in each workbook's tabs titled with that year."""

    def __init__(self, today):
        self.today = today
        self.year = years.school_year_of(today)
        self.last = self.year - 1
        self.tab_year = years.short(self.year)  # "2026-27"
        self.last_tab_year = years.short(self.last)

    # -- days, from today ------------------------------------------------------------
    def ago(self, days):
        """A school day ``days`` before today (or the Friday before it)."""
        return school_day(self.today - timedelta(days=days), forward=False)

    def ahead(self, days):
        """A school day ``days`` after today (or the Monday after it)."""
        return school_day(self.today + timedelta(days=days))

    def next_term(self):
        """"Spring 2027": the term after today's, as a Due cell names it."""
        return next_term(term_of(self.today)).name

    def term_after_next(self):
        """"Summer 2027": two terms on, as a Due cell names it (never past, even in August)."""
        return next_term(next_term(term_of(self.today))).name

    def half_term_before(self):
        """"Autumn 1 2026": the last half-term that ended before today (an overdue Due)."""
        day = self.today.replace(day=1) - timedelta(days=1)  # the end of last month
        while True:
            for name, first, last in HALF_TERMS:
                if day.month == last:
                    return f"{name} {day.year}"
            day = day.replace(day=1) - timedelta(days=1)

    def at(self, days_ago, hour=9, minute=0):
        """"dd/mm/yyyy hh:mm" of a reply ``days_ago``."""
        return datetime.combine(self.ago(days_ago), time(hour, minute)).strftime("%d/%m/%Y %H:%M")

    @property
    def review_month(self):
        """"November 2026": when the heads last amended the joint plan (a month ago)."""
        day = self.today - timedelta(days=30)
        return f"{months.month_name[day.month]} {day.year}"

    # -- the partnership workbook ------------------------------------------------------
    @property
    def title_rows(self):
        return [
            [f"Collaboration Action Plan {self.tab_year}"],
            [f"Amended and updated following review by head teachers – {self.review_month}"],
            [],
        ]

    @property
    def joint_plan(self):
        """The seed's ten rows, in its layout, their dates and words of the demo's year."""
        y, updated = self.year, uk_date(self.ago(21))
        autumn = f"Autumn {y}"
        return [
            [
                "Safeguarding Links: Objective 1 Objective 2 Objective 5 Objective 10",
                "To ensure policies, procedures and arrangements to protect children and learners meet statutory requirements.\nTo audit the content, application and effectiveness of safeguarding policies.",
                f"• Peer review by head teachers to check the five main aspects of each settings safeguarding arrangements.\n{autumn}" + B + "Safeguarding governors from both schools to compare Safeguarding audits",
                "Both schools have a culture of vigilance where children and learners welfare is promoted. Leaders and governors fulfil legislative requirements. Children and learners feel safe.",
                f"• Peer Head Teacher review took place on {self.ago(40):%-d %B}." + B + "Good practice procedures adopted by both school." + B + "Statutory requirements regularly shared through CP and safeguarding posters." + B + "Governor training shared" + B + "SCR – reviewed by HTs and office staff",
                "Carole Clemens, Sally Beardsley", uk_date(self.ago(14)), "Complete", updated,
            ],
            [
                "Teaching and Learning\nLinks: Objective 1 Objective 2 Objective 3 Objective 4 Objective 5 Objective 8 Objective 9 Objective 10",
                "To enhance teaching and learning through senior leaders monitoring and review.",
                "• Joint senior leaders work scrutiny" + B + f"Joint senior leaders informal learning walks.\n{autumn}" + B + "Informal learning walks to take place by HTs at both schools",
                "Teaching and learning practices have been enhanced.",
                "• Work scrutiny carried out prior to LA moderation within each school" + B + "Sharing of progress and attainment including data analysis and key areas for improvement identified",
                "Senior leaders", self.next_term(), "Green", updated,
            ],
            [
                "Staff\nLinks: Objective 1 Objective 2 Objective 3 Objective 4 Objective 5 Objective 6 Objective 8 Objective 9 Objective 10",
                "To impact pupil progress through link teachers 'development' days",
                "• Identify key strengths and areas of development" + B + f"Compile impact evaluation reports for middle leaders, to identify elements of development as a direct result of development days\n{autumn}\nLead teachers to meet to discuss priorities for the year ahead" + B + f"SENcos to meet ({self.ahead(9):%-d %B})" + B + "EYFS leads – to meet (date TBC)" + B + "Maths leads to meet in the next half-term" + B + f"English leads ({self.ahead(8):%-d %B})",
                "To support each schools evidence building and continuous improvement. To have an impact on pupil outcomes. To share good practice. To share honest self-evaluation between colleagues.",
                "• EYFS carried out a gap analysis and planned how to address those gaps." + B + "English subject leads carried out a data review, looking at each school's own attainment data. English leads also looked at teaching and learning of spelling in order to enhance practice at schools" + B + "Mastery in Maths and methods were shared at a work scrutiny and enhanced the T&L and evidencing of children working at greater depth.",
                "Middle leaders", uk_date(self.ahead(3)), "On track", updated,
            ],
            [
                "CPD\nLinks:\nObjective 1 Objective 2 Objective 3 Objective 4 Objective 5 Objective 6 Objective 8 Objective 9 Objective 10",
                "To share CPD opportunities linked to the development needs of staff",
                "• Share CPD throughout both schools – Staff meetings, INSET and external training." + B + f"Staff collaboration to ensure training is shared.\n{autumn}" + B + f"WL to send staff to twilight training on EHWB ({self.ahead(42):%-d %B} at BR)" + B + "Sally Beardsley to lead staff meeting at BR on Growth Mindset",
                "For staff to effectively apply new knowledge or skills. For a change in practice to impact on pupils' learning.",
                "• WL staff attended the Attachment training over 2 twilight sessions at Banks Road." + B + "Subject leaders have shared good practice procedures following from CPD opportunities e.g Maths training on mastery in Maths, Literacy training on including elements of poetry as starting points for extended pieces of writing, EY objective led planning which has developed independent, resilient learners.",
                "CPD leads", uk_date(self.ahead(42)), "On track", updated,
            ],
            [
                "Moderation / assessment\nLinks:\nObjective 1 Objective 2 Objective 3 Objective 4 Objective 5 Objective 6 Objective 8 Objective 9 Objective 10",
                "Moderation: To ensure all teachers understand assessment structures and that teachers are secure in their assessment judgements.",
                "• Staff to meet termly to ensure teachers are applying assessment systems consistently." + B + "To share and discuss all types of evidence." + B + "To moderate end of key-stage judgements against key criteria.",
                "Assessment judgements are" + B + "Consistent: different teachers make the same assessment judgements on the same pupil" + B + "Comparable: different assessments are comparable" + B + "Fair: the context and character of assessment has given pupils the chance to demonstrate what they know.",
                "• Moderation activities have been carried out in detail leading to accurate judgements across both schools as identified in LA moderation.",
                "Assessment leads", self.term_after_next(), "Amber", updated,
            ],
            [
                "School Council\nLinks: Objective 1 Objective 2 Objective 3",
                "Pupils: for school council members to represent the views of the pupils at each school. For school council to support and develop their school and peers. To develop the partnership, involving all members of the schools' communities.",
                "• Visits to each others schools." + B + "To form a joint school council." + B + "Agendas for these meetings will focus on real and positive action and includes the core business of the collaboration agreement." + B + f"Pupils at each school to create termly reports.\n{autumn}" + B + "School council members to spend afternoon at each other's school, BR to WL then WL to BR - Tour of school, playtime, discussion around roles of joint school council",
                "Consultation with pupils to lead to better school performance. Children to understand what it means to be a 'good citizen' in your own community. To enable children to take an active part in school decision making. The ethos of the partnership schools will be seen in the values and attitudes of the school council representatives.",
                "• The children have visited each others schools and have an awareness of the 2 schools and this will be developed further next term.",
                "School council leads", self.next_term(), "On track", updated,
            ],
            [
                "Pupil Premium\nLinks: Objective 1 Objective 2 Objective 3 Objective 5 Objective 6 Objective 9 Objective 10",
                "To ensure that the pupil premium funding is used to implement targeted additional intervention to provide support for eligible pupils. To ensure that pupil premium is 'ring-fenced' and spent only on raising the attainment of disadvantaged pupils and closing the gap between them and their peers. To ensure clarity of the strategic vision of both schools coupled with relentless attention to detail.",
                "• To audit the allocation of pupil premium funding, through peer review, using audit tools." + B + "To share good practice and reporting (e.g case studies)." + B + f"Link governors to meet.\n{autumn}" + B + f"Pupil Premium lead teachers to meet at BR ({self.ago(17):%-d %B}) - Look at Action Plans Share Case Studies Plan to carry out audit of PP provision next term",
                "More children make expected and good levels of progress Quality of teaching and curriculum accelerates progress. Improved outcomes for pupils. Using both schools are able to effectively plan for provisions that are working well (withdrawing or modifying interventions found to be ineffective).",
                "• HTs have discussed procedures currently in place to monitor and review impact of PP funding and interventions having impact. Good practice being in" + B + "Pupil premium lead teachers attending a 'Closing the Gap' conference in the summer term." + B + "This area will be focus to share good practice further throughout the year.",
                "Pupil premium leads", uk_date(self.ago(17)), "Red", uk_date(self.ago(26)),
            ],
            [
                "Parents\nLinks:\nObjective 1 Objective 2 Objective 7",
                "To ensure parents are kept informed of impact of collaboration agreement.",
                "• Sending summary reports, detailing the aspects of collaboration activities inc. JCC minutes, action planning, school council reports, collaboration 'newsletters'.",
                "Enhanced pupils' education through parent and community involvement.\nFostering a partnership between the school communities.",
                "• Information has been shared regarding the Collaboration" + B + "School council reports on school websites" + B + "JCC minutes on display in school foyers when ratified" + B + "Newsletters updated with Collaborative activities",
                "Head teachers", self.term_after_next(), "On track", updated,
            ],
            [
                "Governors",
                "To ensure that the governing boards are monitoring the effect of inter-school collaboration both formally and informally. To ensure the JCC makes recommendations, but individual governing Boards authorise decisions and plans.",
                f"• Chair of GB of WL to attend full Governing Board meeting at BR on {self.ahead(10):%-d %B %Y}" + B + "WL governor training lead to contact training lead governor from BR" + B + f"Chair of BR to attend Full Governing Board meeting at WL ({self.ahead(52):%A %-d %B %Y}, 6.00 p.m.)",
                "• To give members of both governing boards opportunities to observe and share practice" + B + "To drive forward school improvement by learning from and supporting one another" + B + "To create distribution of professional knowledge" + B + "Each governing board to remain flexible to the needs of their school and the communities they serve",
                "",
                "Andy Hitchcock, Kevin Snow", uk_date(self.ahead(52)), "Not started", "",
            ],
            [
                f"Combined SIP priorities ({self.tab_year})",
                "To provide mutual support in driving forward school improvement priorities\nTo share common goals:\n- EHWB\n- Writing\n- Middle leaders\n- 30 Hrs provision in F1",
                "• Provide more opportunities for CPD between schools for staff to recognise that sharing practice amongst colleagues is a powerful tool and will have a positive impact on practice." + B + "Staff to share ideas towards development areas",
                "• Staff to have greater willingness to try new ideas and display increased confidence to solve problems and self-reflect on their own practice." + B + "By sharing ideas and CPD linked to SIP priorities, curriculum development will be enhanced",
                "",
                "Head teachers", self.term_after_next(), "On track", updated,
            ],
        ]

    @property
    def last_joint_plan(self):
        """Last year's joint plan, in its own tab: four rows, three done and one not, their IDs as
        the partnership numbered them then."""
        y, end = self.last, uk_date(date(self.last + 1, 7, 10))
        return [
            ["J 1", "Safeguarding", "Peer review of safeguarding by the head teachers", "• Each head reviews the other's SCR", "Statutory requirements met", "• Both reviews done in the spring", "Carole Clemens, Sally Beardsley", f"Spring {y + 1}", "Complete", end],
            ["J 2", "Moderation / assessment", "Joint moderation of writing each term", "• Year 2 teachers moderate together", "Consistent judgements", "• Judgements agreed each term", "Assessment leads", f"Summer {y + 1}", "Complete", end],
            ["J 3", "Parents", "A joint newsletter each term", "• Heads write a shared column", "Parents know what the partnership does", "• Two of three newsletters went out", "Head teachers", f"Summer {y + 1}", "Behind", end],
            ["J 4", "Governors", "Governors attend each other's board meetings", "• Chairs visit once a year", "Boards learn from each other", "• The visits were made", "Andy Hitchcock, Kevin Snow", f"Summer {y + 1}", "Complete", end],
        ]

    # -- the schools' workbooks ------------------------------------------------------
    def school(self, code):
        """A school's workbook of the demo's year: title, action rows, impact log, SIP priorities.
        A few rows have no ID (rows a person just typed): the first sync gives them one."""
        if code == "BR":
            return {
                "file": SCHOOL_FILES["BR"],
                "title": f"Bank Road Infant and Nursery School – School action plan {self.tab_year}",
                "actions": [
                    ["BR-A001", "Safeguarding", "1, 2, 5, 10", "Annual safeguarding audit completed with the link governor",
                     "• Complete the LA safeguarding audit" + B + "Link governor to review the single central record" + B + "Share findings with WL at the HT peer review",
                     "Statutory requirements met; staff confident in reporting concerns.", f"Audit completed {self.ago(45):%-d %B}; SCR checked by governor.",
                     "Carole Clemens", uk_date(self.ago(30)), "Complete", uk_date(self.ago(45))],
                    ["BR-A002", "Teaching and Learning", "3, 8", "Raise attainment in writing at KS1",
                     "• Whole-school writing CPD on poetry as a stimulus for extended writing" + B + "Joint writing moderation with WL each half term",
                     "More pupils working at greater depth in writing by the end of the year.", "Moderation last half-term agreed 92% of judgements with WL.",
                     "English lead", uk_date(self.ahead(150)), "On track", uk_date(self.ago(29))],
                    ["BR-A003", "EHWB", "3, 5", "Embed the emotional health and wellbeing curriculum",
                     "• Twilight training on attachment for all staff" + B + "Pupil wellbeing survey each term",
                     "Pupils can name a trusted adult and strategies to manage feelings.", f"Twilight held {self.ago(60):%-d %B}; survey planned for the end of term.",
                     "EHWB lead", self.next_term(), "Amber", uk_date(self.ago(22))],
                    ["", "Staff", "4, 9", "Develop middle leaders through the partnership",
                     "• Middle leaders shadow WL subject leads" + B + "Each middle leader presents an impact report at the spring network",
                     "Middle leaders lead improvement in their subject with confidence.", "",
                     "Deputy head", self.next_term(), "Not started", ""],
                    ["BR-A005", "EYFS", "3, 5, 10", "30 hours provision in F1 meets demand",
                     "• Review F1 staffing and sessions" + B + "Visit WL's F1 to compare models",
                     "Every eligible family can take up 30 hours.", "Staffing review found a gap on Friday afternoons.",
                     "EYFS lead", uk_date(self.ago(10)), "Behind", uk_date(self.ago(20))],
                    ["BR-A006", "Pupil Premium", "1, 2, 5", "Audit pupil premium provision with WL",
                     "• Peer review of PP spending using the audit tool",
                     "Interventions that do not work are stopped or changed.", "", "Carole Clemens", self.half_term_before(), "On track", uk_date(self.ago(31))],
                ],
                "impact": [
                    ["BR-I001", uk_date(self.ago(70)), "BR-A003", "CPD", "Attachment twilight for all staff, led by the EHWB lead.",
                     "• Staff named three new strategies" + B + "Teaching assistants attended too" + B + "Good links made to the behaviour policy",
                     "Follow-up needed on recording concerns", "EHWB lead"],
                    ["BR-I002", uk_date(self.ago(56)), "Safeguarding", "QA visit", "Safeguarding audit with the link governor; SCR checked.",
                     "• SCR complete and up to date" + B + "Staff knew the DSLs" + B + "Visitor procedures secure", "Update the lanyard colours on the poster", "Carole Clemens"],
                    ["BR-I003", uk_date(self.ago(49)), "BR-A002", "Moderation", "Joint KS1 writing moderation with WL.",
                     "• 92% of judgements agreed" + B + "Shared exemplars for greater depth" + B + "Good use of the checklists", "Agree evidence for spelling at greater depth", "English lead"],
                    ["BR-I004", uk_date(self.ago(28)), "Teaching and Learning", "Subject review", "Maths subject review by WL's maths lead.",
                     "• Mastery approach consistent in Year 1" + B + "Strong use of manipulatives" + B + "Pupils explain their reasoning", "Challenge for the most able in Year 2", "Maths lead"],
                ],
                "sip": [
                    ["BR-S001", "Improve pupils' emotional health and wellbeing", "EHWB", "Attachment-aware school; wellbeing survey termly", "EHWB lead", "At risk", "Yes"],
                    ["BR-S002", "Raise attainment in writing", "Writing", "More pupils at greater depth at KS1", "English lead", "On track", "Yes"],
                    ["BR-S003", "Develop middle leaders", "Middle leaders", "Subject leaders report impact to governors", "Deputy head", "Not started", "Yes"],
                    ["BR-S004", "30 hours provision in F1", "30 hours provision in F1", "Flexible sessions meet parental demand", "EYFS lead", "Behind", "Yes"],
                    ["BR-S005", "Improve attendance of persistent absentees", "Attendance", "Family support worker; first-day calls", "Carole Clemens", "On track", "No"],
                ],
            }
        return {
            "file": SCHOOL_FILES["WL"],
            "title": f"William Lilley Infant and Nursery School – School action plan {self.tab_year}",
            "actions": [
                ["WL-A001", "Safeguarding", "Objective 1 Objective 2 Objective 10", "Peer review of safeguarding with BR",
                 "• HT peer review of the five main aspects of safeguarding" + B + "Safeguarding governors compare audits",
                 "Leaders and governors fulfil legislative requirements.", f"Peer review booked for {self.ahead(6):%-d %B}.",
                 "Sally Beardsley", uk_date(self.ahead(6)), "G", uk_date(self.ago(30))],
                ["WL-A002", "Teaching and Learning", "Objective 3 Objective 8", "Writing: greater depth in Year 2",
                 "• Poetry as a starting point for extended writing" + B + "Joint moderation with BR",
                 "Greater depth writing rises to 20%.", "Last half-term's moderation agreed with BR.",
                 "English lead", self.term_after_next(), "Amber", uk_date(self.ago(49))],
                ["WL-A003", "EHWB", "Objective 3 Objective 5", "Growth mindset across the school",
                 "• Staff meeting on growth mindset led by the head" + B + "Share resources with BR",
                 "Pupils show resilience in learning.", "Staff meeting held; resources shared with BR.",
                 "Sally Beardsley", self.half_term_before(), "Done", uk_date(self.ago(42))],
                ["WL-A004", "Staff", "Objective 4", "Middle leaders' development days with BR",
                 "• Link teachers' development days each term" + B + "Impact evaluation report for each middle leader",
                 "Middle leaders evidence their impact.", "", "Deputy head", self.next_term(), "Nearly there", uk_date(self.ago(14))],
                ["WL-A005", "EYFS", "Objective 3 Objective 5", "F1 30 hours: share our model with BR",
                 "• Host BR's EYFS lead in F1" + B + "Share the sessions timetable",
                 "Both schools offer flexible 30 hours places.", "", "EYFS lead", uk_date(self.ago(5)), "R", ""],
            ],
            "impact": [
                ["WL-I001", uk_date(self.ago(77)), "WL-A003", "Network", "Head teachers' network: growth mindset resources shared.",
                 "• Clear plan for the staff meeting" + B + "Resources ready to share" + B + "BR keen to trial", "Agree how to measure impact", "Sally Beardsley"],
                ["WL-I002", uk_date(self.ago(49)), "WL-A002", "Moderation", "Joint Year 2 writing moderation with BR.",
                 "• Judgements secure" + B + "Good range of evidence" + B + "Teachers confident", "Spelling at greater depth", "English lead"],
                ["WL-I003", "next week", "WL-A001", "QA visit", "Safeguarding peer review visit to BR (to be confirmed).", "", "", "Sally Beardsley"],
                ["", uk_date(self.ago(21)), "EYFS", "Network", "EYFS leads' network on 30 hours provision.",
                 "• Shared timetables" + B + "Honest look at staffing" + B + "Good parent survey questions", "Cost the Friday sessions", "EYFS lead"],
            ],
            "sip": [
                ["WL-S001", "Emotional health and wellbeing for all pupils", "Emotional health and wellbeing", "Growth mindset and attachment training", "Sally Beardsley", "Complete", "Yes"],
                ["WL-S002", "Writing (KS1): greater depth", "writing (KS1)", "Year 2 greater depth rises to 20%", "English lead", "At risk", "Yes"],
                ["WL-S003", "Middle leadership", "Middle leadership", "Development days with BR", "Deputy head", "On track", "Yes"],
                ["WL-S004", "30 Hrs provision in F1", "30 hours provision in F1", "Flexible sessions; shared model with BR", "EYFS lead", "On track", "Yes"],
            ],
        }

    def last_year(self, code):
        """A school's plan of last year, in the tabs titled with that year: a few rows, IDs as
        the school numbered them then, some not Complete (to carry into this year's)."""
        y, end = self.last, date(self.last + 1, 7, 10)
        if code == "BR":
            return {
                "actions": [
                    ["BR 1", "Safeguarding", "1, 2", "Safer recruitment training for every panel member", "• Book the LA course", "Every panel has a trained member", "• All trained", "Carole Clemens", f"Autumn {y}", "Complete", uk_date(end)],
                    ["BR 2", "Teaching and Learning", "3, 8", "Phonics: a consistent scheme in Reception and Year 1", "• Train staff in the new scheme", "Phonics screening pass rate rises", "• Scheme in place; pass rate up", "English lead", f"Summer {y + 1}", "Complete", uk_date(end)],
                    ["BR 3", "EHWB", "3, 5", "A quiet space for pupils who need it", "• Set up the nurture room", "Fewer pupils removed from class", "• Room set up; staffing not yet", "EHWB lead", f"Summer {y + 1}", "Behind", uk_date(end)],
                    ["BR 4", "Parents", "7", "Parents' workshops on early reading", "• Three workshops a year", "Parents read at home more", "• One workshop held", "English lead", f"Summer {y + 1}", "At risk", uk_date(end)],
                ],
                "impact": [
                    ["BR I1", uk_date(date(y, 11, 18)), "BR 2", "CPD", "Phonics scheme training for all staff.", "• Whole staff trained" + B + "Resources in every room" + B + "Parents told", "Check fidelity in Year 1", "English lead"],
                    ["BR I2", uk_date(date(y + 1, 3, 12)), "Safeguarding", "QA visit", "Safer recruitment check by WL's head.", "• Every panel trained" + B + "Records complete" + B + "Clear process", "File the training certificates together", "Carole Clemens"],
                ],
                "sip": [
                    ["BR S1", "Phonics: a consistent scheme", "Phonics", "Reception and Year 1", "English lead", "Complete", "Yes"],
                    ["BR S2", "Pupils' emotional health and wellbeing", "EHWB", "A nurture room", "EHWB lead", "Behind", "Yes"],
                ],
            }
        return {
            "actions": [
                ["WL 1", "Safeguarding", "Objective 1", "Online safety lessons in every class", "• A unit each term", "Pupils know how to stay safe online", "• Taught in every class", "Sally Beardsley", f"Summer {y + 1}", "Complete", uk_date(end)],
                ["WL 2", "Teaching and Learning", "Objective 3", "Maths mastery in Year 1", "• Mastery training for Year 1", "Pupils reason about number", "• Training done; not yet embedded", "Maths lead", f"Summer {y + 1}", "Amber", uk_date(end)],
            ],
            "impact": [
                ["WL I1", uk_date(date(y + 1, 2, 4)), "WL 2", "Subject review", "Maths review by BR's maths lead.", "• Good use of manipulatives" + B + "Confident teachers" + B + "Clear modelling", "Reasoning in Year 1", "Maths lead"],
            ],
            "sip": [
                ["WL S1", "Maths mastery", "Maths", "Year 1 first", "Maths lead", "On track", "Yes"],
            ],
        }

    # -- networks and visits, and the replies -------------------------------------
    @property
    def calendar(self):
        """Eight events: two past (with finished impact forms), the rest in the weeks ahead."""
        return [
            ["J-E001", uk_date(self.ago(35)), "13:30-16:00", "Subject network", "Phonics", "BR", "All schools", "Jo Teacher",
             "Confirmed", "Minutes on MS Teams."],
            ["J-E002", uk_date(self.ago(21)), "09:00-12:00", "QA visit - behaviour", "Behaviour at lunchtimes", "WL", "BR",
             "Sally Beardsley", "Confirmed", "Schedule shared on MS Teams."],
            ["J-E003", uk_date(self.ahead(1)), "9am - 12pm", "Subject network", "Maths: fractions", "WL", "All schools",
             "Sally Beardsley", "Confirmed",
             f"Schedule (an approximate guide):{B}9:00 welcome{B}9:15 learning walk{B}10:30 sharing practice{B}11:45 next steps"],
            ["J-E004", uk_date(self.ahead(7)), "", "Heads network", "Budgets and staffing", "BR", "All schools", "Carole Clemens",
             "Planned", "Half a day; lunch provided."],
            ["J-E005", uk_date(self.ahead(42)), "09:00-15:00", "Quality assurance visit: safeguarding", "Safeguarding records",
             "BR", "WL", "Carole Clemens", "Confirmed",
             f"Schedule (approximate):{B}9:00 sign in and single central record{B}10:00 pupil voice{B}13:00 feedback"],
            ["J-E006", uk_date(self.ahead(63)), "13:15-15:30", "Attendance network", "Persistent absence", "WL", "All schools",
             "Sally Beardsley", "Planned", ""],
            ["J-E007", uk_date(self.ahead(84)), "09:00-12:00", "Subject review", "Writing", "WL", "BR", "Sally Beardsley", "Planned",
             "Book look and pupil voice."],
            ["J-E008", uk_date(self.ahead(112)), "13:30-15:30", "Year group network", "Year 2 moderation", "BR", "All schools",
             "Jo Teacher", "Planned", "Bring three pieces of writing from each pupil."],
        ]

    def event_day(self, sheet_id):
        """The date of one of the demo's events."""
        row = next(r for r in self.calendar if r[0] == sheet_id)
        return datetime.strptime(row[1], "%d/%m/%Y").date()

    @property
    def replies(self):
        return [
            ["J-R001", "J-E003", "BR", "Carole Clemens <head@bankroad.demo.school>", "Confirmed", "", self.at(6, 16, 5)],
            ["J-R002", "J-E003", "BR", "Jo Teacher <teacher@bankroad.demo.school>", "Declined", "Year 2 trip that day",
             self.at(5, 8, 40)],
            ["J-R003", "J-E004", "WL", "Sally Beardsley <head@williamlilley.demo.school>", "Confirmed", "", self.at(4, 12)],
            ["J-R004", "J-E005", "WL", "Sally Beardsley <head@williamlilley.demo.school>", "Confirmed",
             "Bringing our DSL", self.at(3, 9, 10)],
            ["J-R005", "J-E006", "BR", "Jo Teacher <teacher@bankroad.demo.school>", "", "", ""],
        ]


# -- impact forms: two finished ones, a network and a QA visit ----------------------------
# On the demo's two past events; completed by the demo's people (webapp/commands.py
# DEMO_USERS, by e-mail), in order of confirmation; each is appended to its host's
# Impact log through the outbox.
IMPACT_FORMS = [
    {
        "event": "J-E001",
        "summary": "Phonics network at Bank Road: sound mats, the assessment tracker and decodable books compared.",
        "strengths": ["Both schools use the scheme's sound mats consistently",
                      "A shared phonics assessment tracker was agreed",
                      "Year 1 teachers swapped decodable books matched to the scheme"],
        "areas": ["Agree how to support pupils who did not pass the screening check"],
        "rows": ["BR-A002"],
        "impact_note": "",
        "confirmed_by": ["teacher@bankroad.demo.school"],
    },
    {
        "event": "J-E002",
        "summary": "Behaviour QA visit to William Lilley's lunchtimes by Bank Road's head.",
        "strengths": ["Calm, well-organised lunchtimes",
                      "Midday supervisors know and use the behaviour policy",
                      "Pupils say adults help them sort out fallings-out",
                      "Good use of the quiet area for pupils who need it"],
        "areas": ["Zone the play equipment on the infant yard"],
        "rows": ["WL-A003"],
        "impact_note": "Behaviour QA visit: lunchtime routines judged calm and consistent",
        "confirmed_by": ["head@williamlilley.demo.school", "head@bankroad.demo.school"],
    },
]
