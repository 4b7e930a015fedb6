"""The demo partnership: Bank Road and William Lilley infant schools (seed 002).

The joint action plan is the seed's, all ten rows in full, laid out as the seed
lays it out (title rows, its own headers, the area folded into the links
column), so the demo exercises the contract's messy cases. The schools' own
workbooks use the contract's headers, with a few slips people really make.
"""
B = "\n• "  # bullets as people type them in a cell

PARTNERSHIP_TITLE_ROWS = [
    ["Collaboration Action Plan 2017"],
    ["Amended and updated following review by head teachers – November 2017"],
    [],
]

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
# the first sync appends one and writes an ID into every row.
JOINT_HEADER = [
    "Collaboration objective reference",
    "Key Objective/Action",
    "Specific actions to achieve key objectives",
    "The intended outcome/impact",
    "Impact top date (July 2017)",
    "Lead",
    "Due",
    "Status",
    "Last updated",
]

JOINT_PLAN = [
    [
        "Safeguarding Links: Objective 1 Objective 2 Objective 5 Objective 10",
        "To ensure policies, procedures and arrangements to protect children and learners meet statutory requirements.\nTo audit the content, application and effectiveness of safeguarding policies.",
        "• Peer review by head teachers to check the five main aspects of each settings safeguarding arrangements.\nAutumn 2017" + B + "Safeguarding governors from both schools to compare Safeguarding audits",
        "Both schools have a culture of vigilance where children and learners welfare is promoted. Leaders and governors fulfil legislative requirements. Children and learners feel safe.",
        "• Peer Head Teacher review took place on 25th April." + B + "Good practice procedures adopted by both school." + B + "Statutory requirements regularly shared through CP and safeguarding posters." + B + "Governor training shared" + B + "SCR – reviewed by HTs and office staff",
        "Carole Clemens, Sally Beardsley", "12/12/2026", "Complete", "14/11/2026",
    ],
    [
        "Teaching and Learning\nLinks: Objective 1 Objective 2 Objective 3 Objective 4 Objective 5 Objective 8 Objective 9 Objective 10",
        "To enhance teaching and learning through senior leaders monitoring and review.",
        "• Joint senior leaders work scrutiny" + B + "Joint senior leaders informal learning walks.\nAutumn 2017" + B + "Informal learning walks to take place by HTs at both schools",
        "Teaching and learning practices have been enhanced.",
        "• Work scrutiny carried out prior to LA moderation within each school" + B + "Sharing of progress and attainment including data analysis and key areas for improvement identified",
        "Senior leaders", "Spring 2027", "Green", "14/11/2026",
    ],
    [
        "Staff\nLinks: Objective 1 Objective 2 Objective 3 Objective 4 Objective 5 Objective 6 Objective 8 Objective 9 Objective 10",
        "To impact pupil progress through link teachers 'development' days",
        "• Identify key strengths and areas of development" + B + "Compile impact evaluation reports for middle leaders, to identify elements of development as a direct result of development days\nAutumn 2017\nLead teachers to meet to discuss priorities for the year ahead" + B + "SENcos to meet (5 December 2017)" + B + "EYFS leads – to meet (date TBC)" + B + "Maths leads to meet Spring 1" + B + "English leads (4 December)",
        "To support each schools evidence building and continuous improvement. To have an impact on pupil outcomes. To share good practice. To share honest self-evaluation between colleagues.",
        "• EYFS carried out a gap analysis and planned how to address those gaps." + B + "English subject leads carried out a data review, looking at Raiseonline and in house school data. English leads also looked at teaching and learning of spelling in order to enhance practice at schools" + B + "Mastery in Maths and methods were shared at a work scrutiny and enhanced the T&L and evidencing of children working at greater depth.",
        "Middle leaders", "05/12/2026", "On track", "14/11/2026",
    ],
    [
        "CPD\nLinks:\nObjective 1 Objective 2 Objective 3 Objective 4 Objective 5 Objective 6 Objective 8 Objective 9 Objective 10",
        "To share CPD opportunities linked to the development needs of staff",
        "• Share CPD throughout both schools – Staff meetings, INSET and external training." + B + "Staff collaboration to ensure training is shared.\nAutumn 2017" + B + "WL to send staff to twilight training on EHWB (15 January at BR)" + B + "Sally Beardsley to lead staff meeting at BR on Growth Mindset",
        "For staff to effectively apply new knowledge or skills. For a change in practice to impact on pupils' learning.",
        "• WL staff attended the Attachment training over 2 twilight sessions at Banks Road." + B + "Subject leaders have shared good practice procedures following from CPD opportunities e.g Maths training on mastery in Maths, Literacy training on including elements of poetry as starting points for extended pieces of writing, EY objective led planning which has developed independent, resilient learners.",
        "CPD leads", "15/01/2027", "On track", "14/11/2026",
    ],
    [
        "Moderation / assessment\nLinks:\nObjective 1 Objective 2 Objective 3 Objective 4 Objective 5 Objective 6 Objective 8 Objective 9 Objective 10",
        "Moderation: To ensure all teachers understand assessment structures and that teachers are secure in their assessment judgements.",
        "• Staff to meet termly to ensure teachers are applying assessment systems consistently." + B + "To share and discuss all types of evidence." + B + "To moderate end of key-stage judgements against key criteria.",
        "Assessment judgements are" + B + "Consistent: different teachers make the same assessment judgements on the same pupil" + B + "Comparable: different assessments are comparable" + B + "Fair: the context and character of assessment has given pupils the chance to demonstrate what they know.",
        "• Moderation activities have been carried out in detail leading to accurate judgements across both schools as identified in LA moderation.",
        "Assessment leads", "Summer 2027", "Amber", "14/11/2026",
    ],
    [
        "School Council\nLinks: Objective 1 Objective 2 Objective 3",
        "Pupils: for school council members to represent the views of the pupils at each school. For school council to support and develop their school and peers. To develop the partnership, involving all members of the schools' communities.",
        "• Visits to each others schools." + B + "To form a joint school council." + B + "Agendas for these meetings will focus on real and positive action and includes the core business of the collaboration agreement." + B + "Pupils at each school to create termly reports.\nAutumn 2017" + B + "School council members to spend afternoon at each other's school. Spring 1 – BR to WL, Spring 2 WL to BR - Tour of school, playtime, discussion around roles of joint school council",
        "Consultation with pupils to lead to better school performance. Children to understand what it means to be a 'good citizen' in your own community. To enable children to take an active part in school decision making. The ethos of the partnership schools will be seen in the values and attitudes of the school council representatives.",
        "• The children have visited each others schools and have an awareness of the 2 schools and this will be developed further in the Autumn term.",
        "School council leads", "Spring 2027", "On track", "14/11/2026",
    ],
    [
        "Pupil Premium\nLinks: Objective 1 Objective 2 Objective 3 Objective 5 Objective 6 Objective 9 Objective 10",
        "To ensure that the pupil premium funding is used to implement targeted additional intervention to provide support for eligible pupils. To ensure that pupil premium is 'ring-fenced' and spent only on raising the attainment of disadvantaged pupils and closing the gap between them and their peers. To ensure clarity of the strategic vision of both schools coupled with relentless attention to detail.",
        "• To audit the allocation of pupil premium funding, through peer review, using audit tools." + B + "To share good practice and reporting (e.g case studies)." + B + "Link governors to meet.\nAutumn 2017" + B + "Pupil Premium lead teachers to meet at BR (16 November) - Look at Action Plans Share Case Studies Plan to carry out audit of PP provision in Spring term",
        "More children make expected and good levels of progress Quality of teaching and curriculum accelerates progress. Improved outcomes for pupils. Using both schools are able to effectively plan for provisions that are working well (withdrawing or modifying interventions found to be ineffective).",
        "• HTs have discussed procedures currently in place to monitor and review impact of PP funding and interventions having impact. Good practice being in" + B + "Pupil premium lead teachers attending 'Closing the Gap' conference on July 5." + B + "This area will be focus to share good practice further throughout the next academic year.",
        "Pupil premium leads", "16/11/2026", "Red", "10/11/2026",
    ],
    [
        "Parents\nLinks:\nObjective 1 Objective 2 Objective 7",
        "To ensure parents are kept informed of impact of collaboration agreement.",
        "• Sending summary reports, detailing the aspects of collaboration activities inc. JCC minutes, action planning, school council reports, collaboration 'newsletters'.",
        "Enhanced pupils' education through parent and community involvement.\nFostering a partnership between the school communities.",
        "• Information has been shared regarding the Collaboration" + B + "School council reports on school websites" + B + "JCC minutes on display in school foyers when ratified" + B + "Newsletters updated with Collaborative activities",
        "Head teachers", "Summer 2027", "On track", "14/11/2026",
    ],
    [
        "Governors",
        "To ensure that the governing boards are monitoring the effect of inter-school collaboration both formally and informally. To ensure the JCC makes recommendations, but individual governing Boards authorise decisions and plans.",
        "• Chair of GB of WL to attend full Governing Board meeting at BR on 12 December 2017" + B + "WL governor training lead to contact training lead governor from BR" + B + "Chair of BR to attend Full Governing Board Spring term meeting at WL (Tuesday 23 January 2018 6.00 p.m.)",
        "• To give members of both governing boards opportunities to observe and share practice" + B + "To drive forward school improvement by learning from and supporting one another" + B + "To create distribution of professional knowledge" + B + "Each governing board to remain flexible to the needs of their school and the communities they serve",
        "",
        "Andy Hitchcock, Kevin Snow", "23/01/2027", "Not started", "",
    ],
    [
        "Combined SIP priorities (2017-2018)",
        "To provide mutual support in driving forward school improvement priorities\nTo share common goals:\n- EHWB\n- Writing\n- Middle leaders\n- 30 Hrs provision in F1",
        "• Provide more opportunities for CPD between schools for staff to recognise that sharing practice amongst colleagues is a powerful tool and will have a positive impact on practice." + B + "Staff to share ideas towards development areas",
        "• Staff to have greater willingness to try new ideas and display increased confidence to solve problems and self-reflect on their own practice." + B + "By sharing ideas and CPD linked to SIP priorities, curriculum development will be enhanced",
        "",
        "Head teachers", "Summer 2027", "On track", "14/11/2026",
    ],
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

# Each school: action rows, impact-log rows, SIP priorities. A few rows have no
# ID (new rows a person just typed), so the first sync shows IDs being assigned.
SCHOOL_WORKBOOKS = {
    "BR": {
        "file": "bank-road.xlsx",
        "title": "Bank Road Infant and Nursery School – School action plan 2026-27",
        "actions": [
            ["BR-A001", "Safeguarding", "1, 2, 5, 10", "Annual safeguarding audit completed with the link governor",
             "• Complete the LA safeguarding audit" + B + "Link governor to review the single central record" + B + "Share findings with WL at the HT peer review",
             "Statutory requirements met; staff confident in reporting concerns.", "Audit completed 6 October; SCR checked by governor.",
             "Carole Clemens", "31/10/2026", "Complete", "06/10/2026"],
            ["BR-A002", "Teaching and Learning", "3, 8", "Raise attainment in writing at KS1",
             "• Whole-school writing CPD on poetry as a stimulus for extended writing" + B + "Joint writing moderation with WL each half term",
             "More pupils working at greater depth in writing by July.", "Moderation in October agreed 92% of judgements with WL.",
             "English lead", "16/07/2027", "On track", "03/11/2026"],
            ["BR-A003", "EHWB", "3, 5", "Embed the emotional health and wellbeing curriculum",
             "• Twilight training on attachment for all staff" + B + "Pupil wellbeing survey each term",
             "Pupils can name a trusted adult and strategies to manage feelings.", "Twilight held 22 September; survey planned for December.",
             "EHWB lead", "Spring 2027", "Amber", "10/11/2026"],
            ["", "Staff", "4, 9", "Develop middle leaders through the partnership",
             "• Middle leaders shadow WL subject leads" + B + "Each middle leader presents an impact report at the spring network",
             "Middle leaders lead improvement in their subject with confidence.", "",
             "Deputy head", "Spring 2027", "Not started", ""],
            ["BR-A005", "EYFS", "3, 5, 10", "30 hours provision in F1 meets demand",
             "• Review F1 staffing and sessions" + B + "Visit WL's F1 to compare models",
             "Every eligible family can take up 30 hours.", "Staffing review found a gap on Friday afternoons.",
             "EYFS lead", "28/02/2027", "Behind", "12/11/2026"],
            ["BR-A006", "Pupil Premium", "1, 2, 5", "Audit pupil premium provision with WL",
             "• Peer review of PP spending using the audit tool",
             "Interventions that do not work are stopped or changed.", "", "Carole Clemens", "Autumn 1 2026", "On track", "01/11/2026"],
        ],
        "impact": [
            ["BR-I001", "22/09/2026", "BR-A003", "CPD", "Attachment twilight for all staff, led by the EHWB lead.",
             "• Staff named three new strategies" + B + "Teaching assistants attended too" + B + "Good links made to the behaviour policy",
             "Follow-up needed on recording concerns", "EHWB lead"],
            ["BR-I002", "06/10/2026", "Safeguarding", "QA visit", "Safeguarding audit with the link governor; SCR checked.",
             "• SCR complete and up to date" + B + "Staff knew the DSLs" + B + "Visitor procedures secure", "Update the lanyard colours on the poster", "Carole Clemens"],
            ["BR-I003", "14/10/2026", "BR-A002", "Moderation", "Joint KS1 writing moderation with WL.",
             "• 92% of judgements agreed" + B + "Shared exemplars for greater depth" + B + "Good use of the checklists", "Agree evidence for spelling at greater depth", "English lead"],
            ["BR-I004", "04/11/2026", "Teaching and Learning", "Subject review", "Maths subject review by WL's maths lead.",
             "• Mastery approach consistent in Year 1" + B + "Strong use of manipulatives" + B + "Pupils explain their reasoning", "Challenge for the most able in Year 2", "Maths lead"],
        ],
        "sip": [
            ["BR-S001", "Improve pupils' emotional health and wellbeing", "EHWB", "Attachment-aware school; wellbeing survey termly", "EHWB lead", "At risk", "Yes"],
            ["BR-S002", "Raise attainment in writing", "Writing", "More pupils at greater depth at KS1", "English lead", "On track", "Yes"],
            ["BR-S003", "Develop middle leaders", "Middle leaders", "Subject leaders report impact to governors", "Deputy head", "Not started", "Yes"],
            ["BR-S004", "30 hours provision in F1", "30 hours provision in F1", "Flexible sessions meet parental demand", "EYFS lead", "Behind", "Yes"],
            ["BR-S005", "Improve attendance of persistent absentees", "Attendance", "Family support worker; first-day calls", "Carole Clemens", "On track", "No"],
        ],
    },
    "WL": {
        "file": "william-lilley.xlsx",
        "title": "William Lilley Infant and Nursery School – School action plan 2026-27",
        "actions": [
            ["WL-A001", "Safeguarding", "Objective 1 Objective 2 Objective 10", "Peer review of safeguarding with BR",
             "• HT peer review of the five main aspects of safeguarding" + B + "Safeguarding governors compare audits",
             "Leaders and governors fulfil legislative requirements.", "Peer review booked for 8 December.",
             "Sally Beardsley", "08/12/2026", "G", "02/11/2026"],
            ["WL-A002", "Teaching and Learning", "Objective 3 Objective 8", "Writing: greater depth in Year 2",
             "• Poetry as a starting point for extended writing" + B + "Joint moderation with BR",
             "Greater depth writing rises to 20%.", "October moderation agreed with BR.",
             "English lead", "Summer 2027", "Amber", "14/10/2026"],
            ["WL-A003", "EHWB", "Objective 3 Objective 5", "Growth mindset across the school",
             "• Staff meeting on growth mindset led by the head" + B + "Share resources with BR",
             "Pupils show resilience in learning.", "Staff meeting held; resources shared with BR.",
             "Sally Beardsley", "Autumn 2026", "Done", "21/10/2026"],
            ["WL-A004", "Staff", "Objective 4", "Middle leaders' development days with BR",
             "• Link teachers' development days each term" + B + "Impact evaluation report for each middle leader",
             "Middle leaders evidence their impact.", "", "Deputy head", "Spring 2027", "Nearly there", "18/11/2026"],
            ["WL-A005", "EYFS", "Objective 3 Objective 5", "F1 30 hours: share our model with BR",
             "• Host BR's EYFS lead in F1" + B + "Share the sessions timetable",
             "Both schools offer flexible 30 hours places.", "", "EYFS lead", "31/01/2027", "R", ""],
        ],
        "impact": [
            ["WL-I001", "15/09/2026", "WL-A003", "Network", "Head teachers' network: growth mindset resources shared.",
             "• Clear plan for the staff meeting" + B + "Resources ready to share" + B + "BR keen to trial", "Agree how to measure impact", "Sally Beardsley"],
            ["WL-I002", "14/10/2026", "WL-A002", "Moderation", "Joint Year 2 writing moderation with BR.",
             "• Judgements secure" + B + "Good range of evidence" + B + "Teachers confident", "Spelling at greater depth", "English lead"],
            ["WL-I003", "next week", "WL-A001", "QA visit", "Safeguarding peer review visit to BR (to be confirmed).", "", "", "Sally Beardsley"],
            ["", "11/11/2026", "EYFS", "Network", "EYFS leads' network on 30 hours provision.",
             "• Shared timetables" + B + "Honest look at staffing" + B + "Good parent survey questions", "Cost the Friday sessions", "EYFS lead"],
        ],
        "sip": [
            ["WL-S001", "Emotional health and wellbeing for all pupils", "Emotional health and wellbeing", "Growth mindset and attachment training", "Sally Beardsley", "Complete", "Yes"],
            ["WL-S002", "Writing (KS1): greater depth", "writing (KS1)", "Year 2 greater depth rises to 20%", "English lead", "At risk", "Yes"],
            ["WL-S003", "Middle leadership", "Middle leadership", "Development days with BR", "Deputy head", "On track", "Yes"],
            ["WL-S004", "30 Hrs provision in F1", "30 hours provision in F1", "Flexible sessions; shared model with BR", "EYFS lead", "On track", "Yes"],
        ],
    },
}

# -- networks and visits (issue 17): a term of events with replies --------------------
# Today in the demo is 1 December 2026: the rest of the autumn term and the spring term.
# IDs are given as the hub gave them; the replies name them. Bank Road's visitor links
# are in its Schools row; William Lilley has none yet (visitors are told to ask).

SCHOOL_LINKS_HEADER = ["Safeguarding policy", "Code of conduct"]
SCHOOL_LINKS = {
    "BR": ["https://bankroad.demo.school/policies/safeguarding.pdf",
           "https://bankroad.demo.school/policies/staff-code-of-conduct.pdf"],
    "WL": ["", ""],
}

CALENDAR_HEADER = ["ID", "Date", "Time", "Type", "Focus", "Host school", "Invited schools", "Lead", "Status", "Notes"]
CALENDAR = [
    ["J-E001", "23/09/2026", "13:30-16:00", "Subject network", "Phonics", "BR", "All schools", "Jo Teacher",
     "Confirmed", "Minutes on MS Teams."],
    ["J-E002", "14/10/2026", "09:00-12:00", "QA visit - behaviour", "Behaviour at lunchtimes", "WL", "BR",
     "Sally Beardsley", "Confirmed", "Schedule shared on MS Teams."],
    ["J-E003", "03/12/2026", "9am - 12pm", "Subject network", "Maths: fractions", "WL", "All schools",
     "Sally Beardsley", "Confirmed",
     f"Schedule (an approximate guide):{B}9:00 welcome{B}9:15 learning walk{B}10:30 sharing practice{B}11:45 next steps"],
    ["J-E004", "09/12/2026", "", "Heads network", "Budgets and staffing", "BR", "All schools", "Carole Clemens",
     "Planned", "Half a day; lunch provided."],
    ["J-E005", "13/01/2027", "09:00-15:00", "Quality assurance visit: safeguarding", "Safeguarding records",
     "BR", "WL", "Carole Clemens", "Confirmed",
     f"Schedule (approximate):{B}9:00 sign in and single central record{B}10:00 pupil voice{B}13:00 feedback"],
    ["J-E006", "04/02/2027", "13:15-15:30", "Attendance network", "Persistent absence", "WL", "All schools",
     "Sally Beardsley", "Planned", ""],
    ["J-E007", "25/02/2027", "09:00-12:00", "Subject review", "Writing", "WL", "BR", "Sally Beardsley", "Planned",
     "Book look and pupil voice."],
    ["J-E008", "30/03/2027", "13:30-15:30", "Year group network", "Year 2 moderation", "BR", "All schools",
     "Jo Teacher", "Planned", "After the clocks change: British Summer Time."],
]

RSVP_HEADER = ["ID", "Event", "School", "Person", "Reply", "Note", "Replied"]
RSVP = [
    ["J-R001", "J-E003", "BR", "Carole Clemens <head@bankroad.demo.school>", "Confirmed", "", "20/11/2026 16:05"],
    ["J-R002", "J-E003", "BR", "Jo Teacher <teacher@bankroad.demo.school>", "Declined", "Year 2 trip that day",
     "21/11/2026 08:40"],
    ["J-R003", "J-E004", "WL", "Sally Beardsley <head@williamlilley.demo.school>", "Confirmed", "", "25/11/2026 12:00"],
    ["J-R004", "J-E005", "WL", "Sally Beardsley <head@williamlilley.demo.school>", "Confirmed",
     "Bringing our DSL", "27/11/2026 09:10"],
    ["J-R005", "J-E006", "BR", "Jo Teacher <teacher@bankroad.demo.school>", "", "", ""],
]
