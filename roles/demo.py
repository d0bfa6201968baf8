"""Demo content for the roles app: the ladder, the other roles, guides and the FAQ of the fictional school.

Written in the site's own words from the facts of the content brief (CONTENT.md); where a fact varies by state or could not
be confirmed, the text says so. `load()` only creates what is missing (matched by slug, or by question
for FAQ entries), so running it again changes nothing and edits made by staff survive.
"""

from django.db.models import Max, Q
from django.utils import timezone

from roles.models import FAQ, CertificationLevel, FAQTopic, Guide, Role, Skill

LEVELS = [
    {
        "slug": "emr",
        "name": "Emergency Medical Responder",
        "abbreviation": "EMR",
        "ladder_order": 1,
        "prerequisite": None,
        "summary": "Gives lifesaving first care with very little equipment until an ambulance crew takes over.",
        "description": (
            "An emergency medical responder is trained for the first minutes of an emergency: checking "
            "breathing and pulse, starting CPR, using a defibrillator, stopping bleeding and keeping the "
            "patient stable until EMTs or paramedics arrive, then helping that crew.\n\n"
            "EMR is the lowest level of certification, and the lowest at which someone may work on an "
            "ambulance, yet few ambulance services take EMRs on. The certification is most useful to people "
            "whose own job can bring them to an emergency first: police officers, firefighters, search and "
            "rescue members, industrial response teams and rural volunteer crews."
        ),
        "training_hours_min": 40,
        "training_hours_max": 80,
        "training_length": "typically a few weeks",
        "training_note": "There is no national minimum; courses reported to us run about 40 to 80 hours. Varies by state and program.",
        "clinical_experience": "None face to face: EMR courses typically have no hospital or clinic time with patients.",
        "field_experience": "Typically none; skills are practiced in the classroom and skills lab.",
        "prerequisites_note": (
            "For NREMT certification: an EMR course approved by your state and built on the national EMS "
            "education standards, completed in the past 2 years and signed off by its program director, plus "
            "a current CPR card at the healthcare-provider (BLS) level."
        ),
        "minimum_age": None,
        "minimum_age_note": (
            "We found no national minimum age. Some states take younger students: Maryland reportedly admits "
            "students of 16 or 17 if a parent agrees. Check your state's rules."
        ),
        "exam": (
            "A written NREMT exam of your knowledge, plus a skills exam your state approves. The NREMT has "
            "charged $88 for each attempt, and a pass counts for 24 months. Fees change, so check before you "
            "book."
        ),
        "recertification": (
            "Every 2 years: 16 hours of continuing education (8 national, 4 state or local, 4 of your choice). "
            "A new NREMT recertification model applies to EMRs from 1 October 2025; whether its totals differ "
            "is not yet confirmed."
        ),
        "can_drive_ambulance": False,
        "ambulance_note": "Typically driving is left to EMTs and above; employer and state rules apply.",
        "direct_patient_contact": True,
        "patient_contact_note": (
            "Hands-on first care at the scene, such as CPR, stopping bleeding and oxygen. Many states do not allow "
            "an EMR to be the crew member looking after the patient in the ambulance on the way to hospital."
        ),
        "typical_employers": (
            "Police and fire departments, search and rescue teams, industrial emergency response teams and "
            "volunteer rural crews."
        ),
        "advice": (
            "We advise against EMR training unless you have a specific need for it, such as an employer who "
            "asks for it. The course includes no supervised time with patients in a hospital, few ambulance "
            "services hire EMRs, and in many states an EMR may not be the one caring for a patient on the "
            "ride to hospital, although EMRs do give hands-on care at the scene. If an ambulance job is what "
            "you want, our EMT course is the better start."
        ),
        "skills": [
            "Vital signs",
            "CPR and use of an AED",
            "Bleeding control, including tourniquets and hemostatic dressings",
            "Bag-valve-mask ventilation",
            "Oral airways and suction",
            "Oxygen",
            "Splinting",
            "Helping with an epinephrine auto-injector",
            "Naloxone for suspected opioid overdose",
        ],
    },
    {
        "slug": "emt",
        "name": "Emergency Medical Technician",
        "abbreviation": "EMT",
        "ladder_order": 2,
        "prerequisite": None,
        "summary": "Where nearly every EMS career starts: basic emergency care and transport on an ambulance.",
        "description": (
            "EMTs give basic emergency care, most of it noninvasive, and take patients to hospital with the "
            "equipment every ambulance carries. They follow the protocols of a physician medical director, and "
            "on many calls they are the first licensed clinician to reach the patient.\n\n"
            "Almost everyone with a paid job in EMS began as an EMT. EMTs may drive the ambulance; what else "
            "they may do is set by each state, and the list has been getting longer."
        ),
        "training_hours_min": 110,
        "training_hours_max": 190,
        "training_length": "about 2 to 6 months, less on an accelerated schedule",
        "training_note": "About 150 hours is common; the courses we know of run from about 110 hours up, and the upper end varies by state and program.",
        "clinical_experience": "Yes: supervised, face-to-face time with patients in a hospital or similar setting. Hours vary by program.",
        "field_experience": "Yes: shifts on an ambulance with an experienced crew. Hours vary by program.",
        "prerequisites_note": (
            "Usually a high-school diploma or equivalent and a current CPR (BLS) card. To sit the NREMT exam "
            "you must also have finished a state-approved course within the last 2 years."
        ),
        "minimum_age": 18,
        "minimum_age_note": "Typically 18; a common rule across states and programs, but check yours.",
        "exam": (
            "A computer-adaptive NREMT knowledge exam, plus a skills exam your state approves. How many "
            "questions you get depends on how you answer (reports put it at roughly 70 to 120). The NREMT's "
            "July 2024 changes did not touch the EMT exam."
        ),
        "recertification": (
            "Every 2 years: 40 hours of continuing education (20 national, 10 state or local, 10 of your "
            "choice), or by passing the exam again. A new NREMT model began on 1 April 2025; check the "
            "current totals."
        ),
        "can_drive_ambulance": True,
        "ambulance_note": "Many services also ask for a driving course and a clean record.",
        "direct_patient_contact": True,
        "patient_contact_note": "Often the first licensed clinician to reach the patient.",
        "typical_employers": (
            "Private and municipal ambulance services, fire departments (many hire only firefighter-EMTs), "
            "hospitals and interfacility transport companies. Many rural EMTs are volunteers."
        ),
        "advice": (
            "Start here. EMT needs no earlier certification, it is the first step to every level above it, "
            "paramedic included, and it is the certification most EMS employers hire at."
        ),
        "skills": [
            "Everything an EMR does",
            "Measuring blood oxygen (pulse oximetry)",
            "Checking blood sugar, and oral glucose when it is low",
            "Airway adjuncts",
            "Traction splints",
            "Assisting with a patient's own nitroglycerin, inhaler or epinephrine auto-injector",
            "CPAP, nebulized albuterol and intramuscular epinephrine, where the state allows",
            "Naloxone",
            "Intramuscular injections, vaccinating in public-health emergencies and nasal swabs (in the national "
            "model since 2021; each state decides whether its EMTs may)",
        ],
    },
    {
        "slug": "aemt",
        "name": "Advanced Emergency Medical Technician",
        "abbreviation": "AEMT",
        "ladder_order": 3,
        "prerequisite": "emt",
        "summary": "An EMT with a limited set of advanced skills, such as IV fluids and some medications.",
        "description": (
            "An advanced EMT does everything an EMT does and adds a limited set of advanced interventions: "
            "starting IV lines and giving fluids, using more complex airway devices and giving a short list of "
            "medications. The level exists for systems that cannot put a paramedic on every call, so AEMTs are "
            "most common in rural ambulance and fire services.\n\n"
            "Some states may not license AEMTs at all: we have seen this reported for at least one state but "
            "could not confirm it, so ask your state EMS office before you plan this step."
        ),
        "training_hours_min": 200,
        "training_hours_max": 400,
        "training_length": "typically several months after EMT",
        "training_note": "One federal estimate is about 400 hours; other sources give 200 to 400. Varies by state and program.",
        "clinical_experience": "Typically yes: supervised time with patients in a clinical setting. Hours vary by state and program.",
        "field_experience": "Typically yes: supervised shifts on an ambulance. Hours vary by state and program.",
        "prerequisites_note": (
            "An EMT certification from the NREMT or a state EMT license (or one at a higher level); an AEMT course "
            "approved by your state and completed in the past 2 years; and a current CPR (BLS) card."
        ),
        "minimum_age": 18,
        "minimum_age_note": "Typically 18.",
        "exam": (
            "Since 1 July 2024 the NREMT gives AEMTs one certification exam; its national skills exam for this "
            "level was dropped at the end of June 2024."
        ),
        "recertification": "Every 2 years: 50 hours of continuing education (25 national, 12.5 state or local, 12.5 of your choice).",
        "can_drive_ambulance": True,
        "direct_patient_contact": True,
        "typical_employers": "Rural ambulance services and fire departments, especially where paramedics are scarce.",
        "advice": (
            "Worth it if your service uses AEMTs, or if you want some advanced skills before committing to "
            "paramedic school. Check first that your state licenses this level."
        ),
        "skills": [
            "Everything an EMT does",
            "IV access and IV fluids",
            "More complex airway devices",
            "A limited list of medications, set by state protocol",
            "Naloxone",
            "Intraosseous (IO) access in some states",
        ],
    },
    {
        "slug": "paramedic",
        "name": "Paramedic",
        "abbreviation": "Paramedic",
        "ladder_order": 4,
        "prerequisite": "emt",
        "summary": "Usually the most advanced clinician on an ambulance: advanced airways, cardiac care and medications.",
        "description": (
            "Paramedics give advanced emergency care under medical oversight. On top of the EMT's skills they "
            "start IV and IO lines, place advanced airways including breathing tubes, read 12-lead ECGs, "
            "defibrillate, cardiovert and pace the heart, and give a wide range of medications.\n\n"
            "On a typical ambulance nobody on board is trained further than the paramedic. A physician, nurse, "
            "nurse practitioner or physician assistant now and then joins a helicopter or ambulance crew, but "
            "that is the exception. For most people who join EMS this level is the long-term goal, and many "
            "states are letting paramedics do more."
        ),
        "training_hours_min": 1100,
        "training_hours_max": 1800,
        "training_length": "about 1 to 2 years",
        "training_note": "A federal estimate is about 1,200 hours; programs we know of run from about 1,100 to 1,800. Often leads to an associate degree.",
        "clinical_experience": (
            "Yes: supervised clinical rotations with patients in hospital settings. Since August 2016 students "
            "also build a verified portfolio of the skills they have performed."
        ),
        "field_experience": "Yes: typically a supervised field internship on an advanced life support ambulance.",
        "prerequisites_note": (
            "A current EMT certification or license. The NREMT only accepts graduates of state-approved "
            "programs accredited by CAAHEP (or holding a Letter of Review), finished within the last 2 years; "
            "students who started after 1 August 2016 also need a verified skills portfolio."
        ),
        "minimum_age": 18,
        "minimum_age_note": "Typically 18 or older; the NREMT asks for it.",
        "exam": (
            "A computer-adaptive NREMT exam at a Pearson VUE test center: 110 to 150 questions, 20 of them "
            "unscored, some built around scenarios or interactive items. The NREMT stopped its national "
            "paramedic skills exam in June 2024."
        ),
        "recertification": "Every 2 years: 60 hours of continuing education (30 national, 15 state or local, 15 of your choice).",
        "can_drive_ambulance": True,
        "direct_patient_contact": True,
        "typical_employers": (
            "Advanced life support ambulance services, fire departments (as firefighter-paramedics), flight and "
            "critical-care transport, hospitals and community paramedicine programs."
        ),
        "advice": (
            "Plan for it from the start: begin with our EMT course, get experience on an ambulance, then apply "
            "to paramedic school. We can help you plan the route."
        ),
        "skills": [
            "Everything an EMT does",
            "IV and intraosseous (IO) access",
            "Breathing tubes and other advanced airway devices",
            "Reading 12-lead ECGs",
            "Manual defibrillation",
            "Cardioversion and pacing",
            "A wide range of medications, under protocol",
        ],
    },
    {
        "slug": "community-paramedic",
        "name": "Community Paramedic",
        "abbreviation": "CP",
        "ladder_order": 5,
        "prerequisite": "paramedic",
        "summary": "Paramedics who care for patients at home, filling gaps in everyday health care.",
        "description": (
            "Community paramedicine, part of what is also called mobile integrated health, sends EMS clinicians "
            "to patients' homes to fill gaps in outpatient care: following up on long-term illness, visiting "
            "people after they leave hospital, helping with their medicines, and arranging care or transport "
            "somewhere other than the emergency department when that serves them better. It usually does not "
            "include emergency transport.\n\n"
            "The aim is fewer hospital readmissions and emergency visits at a lower cost, though the evidence "
            "is still limited. It is a growing national trend but still a small field: a 2023 study found about "
            "1.5% of EMS clinicians working in it. Payment and state rules are the main hurdles."
        ),
        "training_hours_min": None,
        "training_hours_max": None,
        "training_length": "taken after paramedic certification",
        "training_note": "Training varies by locality; we could not confirm typical course hours.",
        "clinical_experience": "Varies by program and state.",
        "field_experience": "Varies by program and state.",
        "prerequisites_note": (
            "An unrestricted paramedic license. The IBSC Community Paramedic certification (CP-C) also asks for "
            "community paramedic education or sign-off from a medical director, and some states, Colorado for "
            "one, require that certification for their community paramedic endorsement."
        ),
        "minimum_age": None,
        "minimum_age_note": "No separate rule: you must already be a licensed paramedic.",
        "exam": (
            "The IBSC CP-C exam is the best-known option; its reported fee is $285 for members and $385 for "
            "others. State endorsements vary."
        ),
        "recertification": "Set by the certifying body and the state; check with the IBSC and your state EMS office.",
        "can_drive_ambulance": True,
        "ambulance_note": "As paramedics they may; community paramedic visits usually do not involve emergency transport.",
        "direct_patient_contact": True,
        "patient_contact_note": "Mostly in patients' homes.",
        "typical_employers": (
            "EMS agencies and fire departments with community paramedicine or mobile integrated health "
            "programs, hospitals and health systems."
        ),
        "advice": (
            "A path for experienced paramedics who like getting to know patients over time. Check whether your "
            "state endorses community paramedics and how programs near you are funded."
        ),
        "skills": [
            "Home visits and health checks for people with long-term illness",
            "Follow-up after a hospital stay",
            "Helping patients understand and manage their medicines",
            "Prevention and health education",
            "Referral or transport to care other than the emergency department",
        ],
    },
]

ROLES = [
    {
        "slug": "emergency-medical-dispatcher",
        "name": "911 dispatcher",
        "order": 1,
        "summary": "The first person in EMS a caller speaks to: sends the right help and coaches the caller until it arrives.",
        "description": (
            "The emergency medical dispatcher answers the 911 call. In a few moments they find out where the "
            "emergency is and what has happened, decide which help to send, and send it.\n\n"
            "Then they stay on the line: they coach the caller through what to do before the crew arrives, "
            "for example how to give CPR, and pass what they learn to the responders on their way."
        ),
        "credentials": (
            "Dispatchers are certified by organizations such as APCO and the IAED. Training, and how often it "
            "must be renewed, varies by agency and state."
        ),
    },
    {
        "slug": "police-first-responder",
        "name": "Police officer as first responder",
        "order": 2,
        "summary": "Often the first to arrive: makes the scene safe and starts care until EMS takes over.",
        "description": (
            "Police are often sent to medical emergencies alongside EMS, and because they are already out on "
            "patrol they may get there first. They make the scene safe for everyone and, where trained, start "
            "lifesaving care such as CPR or bleeding control until the ambulance crew takes over."
        ),
        "credentials": (
            "Police academy training. Some officers also certify as emergency medical responders; requirements "
            "vary by department and state."
        ),
    },
    {
        "slug": "fire-first-responder",
        "name": "Firefighter as first responder",
        "order": 3,
        "summary": "Answers many medical calls, often arrives first, and in many places runs the ambulances too.",
        "description": (
            "Fire departments answer a large share of medical calls. Firefighters often reach the patient "
            "first and begin care, and in many places the ambulance itself belongs to the fire department.\n\n"
            "That is why many departments hire only firefighters who are also EMTs, and some employ "
            "firefighter-paramedics."
        ),
        "credentials": "Fire academy training and, in many departments, EMT or paramedic certification as well.",
    },
    {
        "slug": "medical-director",
        "name": "EMS medical director",
        "order": 4,
        "summary": "The physician whose authority EMS clinicians work under: sets protocols and reviews care.",
        "description": (
            "EMS clinicians do not practice on their own authority: they work under that of a physician "
            "medical director. The medical director writes the protocols and standing orders crews follow, "
            "oversees their training, reviews the quality of their care, and can stop a clinician from "
            "practicing under their authority.\n\n"
            "People speak of two kinds of medical direction. Online direction is a physician giving orders in "
            "real time, by radio or phone, during a call. Offline direction is everything that shapes care "
            "before and after the call: protocols, training and review."
        ),
        "credentials": "A licensed physician, often an emergency physician. State rules define the role.",
    },
]

EMS_VS_EMT_BODY = """\
People often say "an EMS" when they mean a person on an ambulance. EMS is not a person, though, and
knowing the difference helps you understand which training you need.

## EMS is a system

EMS stands for *emergency medical services*: the whole system that responds to a medical emergency.
Taken in its widest sense, it covers everything between the first 911 call and the treatment a doctor
completes at the end of the patient's journey. Most people, though, use the word for care given before
the hospital.

One 911 call can bring several kinds of help to the same address. Police may come to secure the scene, a
fire crew may get there first, and EMTs and paramedics arrive by ambulance to take over the patient's care;
in many towns that ambulance belongs to the fire department. Behind them all, a physician medical
director sets the protocols they follow. [See who does what in EMS](/roles/).

## An EMT is one of the people in it

EMT stands for *emergency medical technician*. EMTs are the clinicians most people meet on an ambulance,
and nearly everyone employed in EMS starts as one. Training takes weeks or months rather than years,
typically around 150 hours, and includes time with patients and shifts on an ambulance.

The people who work in EMS are certified and licensed at one of a few levels:

1. **Emergency medical responder (EMR)**: first care with minimal equipment until a crew arrives.
2. **Emergency medical technician (EMT)**: basic emergency care and transport.
3. **Advanced EMT (AEMT)**: some advanced skills, such as IV fluids (check that your state licenses it).
4. **Paramedic**: advanced emergency care, usually the most advanced clinician on an ambulance.

## EMT or paramedic?

Both work on ambulances, but they differ in how long they train and what they may do:

- **Training.** An EMT course typically takes 2 to 6 months, or a few weeks on an accelerated schedule.
  Paramedic programs typically take 1 to 2 years (about 1,200 hours or more) and often lead to an
  associate degree.
- **Prerequisites.** EMT needs no earlier certification: typically you must be 18 and hold a high-school
  diploma or equivalent, and before your hospital and ambulance shifts you pass a background check and a
  drug screen and show your vaccination records. To train as a paramedic you must already be an EMT.
- **Scope.** EMTs give basic, mostly noninvasive care. Paramedics add IV and IO lines, advanced airways,
  heart rhythm monitoring and a wide range of medications.
- **Exam and license.** In most states both sit NREMT exams on the way to a license, and neither may
  work without a license from the state they work in.

[Compare EMT and paramedic side by side](/roles/compare/?levels=emt,paramedic), fact by fact.

## Where to start

Whatever you aim for, the first step is the same: become an EMT. Exact hours and rules vary by state,
so check with your state EMS office, or ask us and we will help you plan your route.
"""

LICENSURE_BODY = """\
Two words come up again and again when you plan EMS training: *certification* and *licensure*. They are
not the same thing.

## Certification shows what you know

National certification from the NREMT (the National Registry of Emergency Medical Technicians) is
voluntary. Passing its exams shows that you have reached a national standard of competence, and the
usual first step for new EMS clinicians is to register nationally.

## A license lets you work

The license your state issues is what allows you, by law, to treat patients there. No state lets an EMS
clinician work without one. Many states accept NREMT certification as part of the route to a license,
but each state sets its own rules and its own scope of practice.

## Keeping both current

Certification must be renewed, typically every 2 years, with continuing education: 40 hours for an EMT,
50 for an AEMT and 60 for a paramedic under the model we know of. Your state license has its own renewal
rules. [See the recertification rules for each level](/roles/compare/?levels=emr,emt,aemt,paramedic).
"""

PHYSICAL_DEMANDS_BODY = """\
EMS is hands-on work in every sense. Before you enroll, picture a normal shift and ask yourself honestly
whether your body is ready for it, or can be made ready by the time the course ends.

## What a shift asks of you

- **Lifting and carrying.** You and your partner lift patients from floors, beds and car seats, and carry
  them on a stretcher or a stair chair, often down stairs and through narrow doorways.
- **Kneeling and bending.** Most care happens at floor level: CPR, bandaging, placing a splint.
- **Hours and weather.** Shifts run through the night and at weekends, outdoors in summer heat and winter
  cold, on ice and in rain.
- **Blood and infection.** You will see injuries and body fluids, and protect yourself from infection with
  gloves, masks and hand washing every time.

## How much weight?

There is no single national rule. A job description that many training programs rely on says a crew member
should typically be able to lift, carry and balance about 125 pounds alone, or 250 pounds with a partner.
Each employer sets the exact physical requirements of its own jobs, and some test them before hiring.

## In our courses

Skills labs put you through the same movements as the job: moving a patient on a stretcher, carrying a stair
chair, CPR on the floor. We teach you how to lift safely, with your legs and your partner, before you lift
anything heavy.

## Talk to us first

A health condition or an injury does not always rule you out. Tell us about it before you enroll, in
confidence, and we will tell you straight what the course and the work would ask of you.
"""

BACKGROUND_CHECK_BODY = """\
Hospitals and ambulance services let students in only once they know who is coming. That is why every
course with clinical or field shifts includes a background check and a drug screen.

## When, and who sees the result

You complete both after you enroll and before your first hospital or ambulance shift: no shift can be booked
without them. The result goes to us and to the clinical sites that host you, nobody else.

## A record does not close the door by itself

Having a criminal record does not automatically bar you from training or from EMS work. The NREMT and state
EMS offices look at certain convictions one case at a time, weighing what happened and how long ago. The
rules differ from state to state, and we cannot promise an outcome.

**Ask us before you enroll, in confidence.** Tell our admissions team what is on your record and we will
help you find out where you stand before you pay anything.

## The drug screen

A standard urine test, at a lab near you. Prescribed medicines are not a problem: you declare them to the
lab's medical reviewer, not to us.
"""

VACCINATIONS_BODY = """\
Clinical placements put you close to patients who are ill, and to staff and patients who must be protected
from you. Hospitals and ambulance services therefore set the vaccinations a student must show before a
first shift.

## Which courses

All of our courses that include clinical or field hours: EMT, advanced EMT and paramedic. The EMR course has no shifts,
so it asks for no vaccination records.

## What sites typically ask for

- MMR (measles, mumps and rubella)
- varicella (chickenpox)
- hepatitis B
- Tdap (tetanus, diphtheria and pertussis)
- a TB test
- the flu vaccine for the current season
- at some sites, COVID-19

The exact list is the clinical site's, and it can change: we send you the current one when you enroll.

## Getting ready

Dig out your records now; a primary-care office or your old school can often find them. A blood test
(a titer) can show immunity where records are missing. Hepatitis B takes several doses over months, so
start early. If you cannot have a vaccine for a medical reason, tell us: sites often accept a signed
exemption, but each decides for itself.
"""

CPR_BODY = """\
Every EMS certification starts from CPR. The NREMT requires a current CPR card at the healthcare-provider
level (often called BLS, basic life support) for certification at every level, from EMR to paramedic.

## Which card

Look for a course for healthcare providers or professional rescuers that includes a hands-on skills test.
A course taken entirely online, without practising on a manikin in front of an instructor, does not count.
Courses for the general public, such as those taught for workplaces, are not enough either.

## When you need it

Bring a current card to the first day of your course, and keep it current until you have your license:
cards typically last 2 years.

## No card yet?

We run a one-day healthcare-provider CPR class before each EMT and EMR start. Ask us for the next date when
you apply. Its cost is not part of the course price.
"""

COURSE_TO_LICENSE_BODY = """\
Passing the course does not yet let you work. Between the last class and your first shift come an exam and
a license, in this order. The steps and the fees vary by state: the outline below is typical.

## The steps

1. **Finish the course.** We confirm to the NREMT that you completed it and passed its skills checks.
2. **The NREMT cognitive exam.** A computer-based exam at a test center; you pay its fee to the NREMT,
   again for each new attempt.
3. **A skills exam,** where your state runs or approves one for your level; its fee goes to whoever runs it.
4. **Apply for your state license** to your state EMS office. It charges a fee, and many states also run
   a background check of their own.
5. **Start work** once the license is issued, and not before.

## Where fees are paid

Nothing after the course is paid to us. The exam fee goes to the NREMT; the license fee to the state; a skills
exam's fee to its organizer. Check the current amounts with each of them before you budget.

## In Massachusetts

Our school is in Massachusetts, where EMS licenses are issued by the Office of Emergency Medical Services
(OEMS) of the Department of Public Health. Check its current requirements and fees there. If you will work
in another state, its own EMS office sets the rules you follow.

## Keeping it

Certification and license both expire, typically every 2 years, and are renewed with continuing education.
[How certification and licensure differ](/guides/certification-and-licensure/).
"""

FIRST_JOB_BODY = """\
Your license lets you work; an employer still decides whether you start on their ambulance. A few things come
up again and again when new EMTs apply for their first job. They vary by employer, so ask the services you
have in mind.

## Driving the ambulance

Many ambulance services let only staff aged 21 or over drive, because of their insurance. Younger EMTs
are hired too, and care for patients in the back while an older partner drives. Services often ask new
staff to pass an emergency vehicle operator course (EVOC) after they are hired; some run it themselves.

## Experience first

Paramedic programs, and employers hiring paramedics, often prefer some months of work as an EMT before
you move on. Time on an ambulance teaches what no classroom can, and many people work as EMTs while they
train for the next level.

## What else employers look at

- a clean driving record, and the license to drive the vehicles you will use;
- your state EMS license and CPR card, kept current;
- being able to meet the job's physical demands ([what they are](/guides/physical-demands/));
- shifts: nights, weekends and holidays are part of the job.

## Where new EMTs work

Private and municipal ambulance services, fire departments (many ask for firefighter-EMTs), hospitals,
and companies that move patients between hospitals. In rural areas many EMTs start as volunteers.
"""

GUIDES = [
    {
        "slug": "ems-vs-emt",
        "title": "EMS, EMT and paramedic: what is the difference?",
        "summary": (
            "EMS is the whole emergency medical system; an EMT is one of the people who work in it. "
            "How the roles fit together, and how an EMT differs from a paramedic."
        ),
        "body": EMS_VS_EMT_BODY,
    },
    {
        "slug": "certification-and-licensure",
        "title": "Certified or licensed? How EMS credentials work",
        "summary": "Why EMS clinicians need both a national certification and a state license, and how each is kept current.",
        "body": LICENSURE_BODY,
    },
    # The questions that decide whether someone can enroll (CONTENT.md, "What prospective students ask"),
    # linked from the program pages where each question arises and from the home page.
    {
        "slug": "physical-demands",
        "title": "Is EMS work physically demanding?",
        "summary": "Lifting with a partner, kneeling, stairs, nights and weather: what a shift asks of your body, and how much weight employers typically expect you to handle.",
        "body": PHYSICAL_DEMANDS_BODY,
    },
    {
        "slug": "background-check-and-drug-screen",
        "title": "The background check and drug screen",
        "summary": "Why clinical sites require both before your first shift, who sees the result, and why a criminal record does not close the door by itself: ask us in confidence.",
        "body": BACKGROUND_CHECK_BODY,
    },
    {
        "slug": "vaccinations",
        "title": "Vaccinations for clinical placements",
        "summary": "The vaccinations hospitals and ambulance services typically ask students to show, for every course with clinical or field hours, and how to get ready in time.",
        "body": VACCINATIONS_BODY,
    },
    {
        "slug": "cpr-card",
        "title": "The CPR card you need",
        "summary": "A current healthcare-provider CPR card is required for EMS certification at every level: which card counts, when you need it, and our one-day class.",
        "body": CPR_BODY,
    },
    {
        "slug": "from-course-to-license",
        "title": "From the course to your license",
        "summary": "The national exam, a skills exam where your state runs one, then a state license: the steps in order, and who each fee is paid to.",
        "body": COURSE_TO_LICENSE_BODY,
    },
    {
        "slug": "first-ems-job",
        "title": "Your first EMS job: what employers ask",
        "summary": "Drivers' age limits, the emergency vehicle operator course, experience before paramedic training, and where new EMTs find work.",
        "body": FIRST_JOB_BODY,
    },
]

FAQ_TOPICS = [
    {"slug": "ems-basics", "name": "EMS and its roles", "order": 1},
    {"slug": "training", "name": "Training and certification", "order": 2},
    {"slug": "careers", "name": "Careers and pay", "order": 3},
    {"slug": "applying", "name": "Applying to our school", "order": 4},
    {"slug": "paying", "name": "Cost and ways to pay", "order": 5},
]

FAQS = [
    (
        "ems-basics",
        "Is an EMS the same as an EMT?",
        "No. EMS (emergency medical services) is the whole system that responds to emergencies, from the 911 "
        "call to the hospital. An EMT (emergency medical technician) is one of the people who work in it. "
        "[Read our guide](/guides/ems-vs-emt/).",
    ),
    (
        "ems-basics",
        "What is the difference between an EMT and a paramedic?",
        "Paramedics train far longer, typically 1 to 2 years against a few months for EMTs, and may do much "
        "more: IV lines, advanced airways, heart monitoring and many medications. You must be an EMT before "
        "you train as a paramedic. [Compare them side by side](/roles/compare/?levels=emt,paramedic).",
    ),
    (
        "ems-basics",
        "Should I train as an EMR first?",
        "Usually not. We advise against EMR training unless you have a specific need for it. EMRs do give "
        "hands-on first care at the scene, but the course includes no supervised time with patients in a "
        "hospital, few ambulance services hire EMRs, and in many states an EMR may not look after the patient "
        "while the ambulance takes them to hospital. EMT needs no earlier certification, so start there.",
    ),
    (
        "ems-basics",
        "Who is in charge of the care EMTs and paramedics give?",
        "A physician medical director. EMS clinicians work under their authority and follow the protocols "
        "they set; the medical director also reviews care and can give orders by radio or phone during a call.",
    ),
    (
        "training",
        "How long does EMT training take?",
        "Typically 2 to 6 months, and less on an accelerated schedule. Courses are often about 150 hours, "
        "including time with patients and shifts on an ambulance. Hours vary by state and program.",
    ),
    (
        "training",
        "How long does paramedic training take?",
        "Typically 1 to 2 years, often around 1,200 hours or more, and many programs lead to an associate "
        "degree. Programs must be accredited for graduates to sit the national exam.",
    ),
    (
        "training",
        "How old do I have to be?",
        "For EMT, AEMT and paramedic training the minimum is typically 18. There is no national minimum for "
        "EMR courses, and some states accept younger students. Check your state's rules.",
    ),
    (
        "training",
        "What is the NREMT, and do I also need a state license?",
        "The NREMT (National Registry of Emergency Medical Technicians) runs the national certification "
        "exams. Its certification is voluntary, and most states use it on the way to a license. The license "
        "itself comes from your state, and no EMS clinician may work without one. "
        "[More on certification and licensure](/guides/certification-and-licensure/).",
    ),
    (
        "training",
        "How often do I need to recertify?",
        "Typically every 2 years, with continuing education: 40 hours for EMTs, 50 for AEMTs and 60 for "
        "paramedics under the NREMT model we know of. The NREMT has been introducing a new model since 2025, "
        "so check the current totals.",
    ),
    (
        "training",
        "Does every state license advanced EMTs?",
        "Perhaps not. We have seen a report that at least one state does not license AEMTs, but we could not "
        "confirm it. Ask your state EMS office before planning AEMT training.",
    ),
    (
        "training",
        "What happens between finishing the course and starting work?",
        "Finishing the course does not yet let you work. Next comes the NREMT cognitive exam, plus a skills "
        "exam where your state runs one. With those passed, you apply to your state EMS office for a "
        "license, which charges a fee and in many states runs its own background check. Once the license is "
        "issued you may work. Steps and fees vary by state. "
        "[From the course to your license, step by step](/guides/from-course-to-license/).",
    ),
    (
        "careers",
        "Is the work physically demanding?",
        "Yes. Typically you lift and carry patients with a partner, kneel and bend, take a loaded stretcher or "
        "stair chair up and down stairs, and work at night, in hot and cold weather, and where there is blood "
        "and a risk of infection. A job description many programs use asks that you can lift around 125 "
        "pounds on your own, or 250 with help; each employer sets the exact requirements. "
        "[What a shift asks of you](/guides/physical-demands/).",
    ),
    (
        "careers",
        "Can I drive an ambulance as soon as I am licensed?",
        "Not always. Many ambulance services only let drivers of 21 or older take the wheel, for insurance "
        "reasons, and ask new staff to complete an emergency vehicle operator course (EVOC) after they are "
        "hired. Paramedic programs and employers also tend to prefer some months of EMT work first. "
        "Employers differ, so ask the ones you are interested in. "
        "[Your first EMS job](/guides/first-ems-job/).",
    ),
    (
        "careers",
        "What do EMTs and paramedics earn?",
        "According to the US Bureau of Labor Statistics, the median pay in May 2023 was about $38,930 a year "
        "for EMTs and $53,180 for paramedics. Pay varies widely by region and employer; check bls.gov for the "
        "latest figures.",
    ),
    (
        "careers",
        "Are there jobs for EMTs and paramedics?",
        "Yes. The Bureau of Labor Statistics expected jobs to grow by about 5% from 2022 to 2032, faster than "
        "average, with around 18,000 openings a year.",
    ),
    (
        "careers",
        "Where do EMTs and paramedics work?",
        "Ambulance services, fire departments, hospitals, interfacility and flight transport, and community "
        "paramedicine programs. Many rural EMTs are volunteers.",
    ),
    (
        "careers",
        "What is community paramedicine?",
        "A growing way of working in which paramedics care for patients at home, for example after a "
        "hospital stay or for a long-term illness, rather than only taking them to the emergency department.",
    ),
    (
        "applying",
        "How do I apply?",
        "Choose a program and a start date, then fill in the online application. You find out straight away "
        "whether you have a seat or a place on the waitlist, and we confirm it by e-mail.",
    ),
    (
        "applying",
        "Do I need a background check, a drug screen or vaccinations?",
        "For our EMT, AEMT and paramedic courses, yes: they include hospital or ambulance shifts, and those "
        "sites require a background check and a drug screen before any student's first shift, and proof of "
        "vaccination (typically hepatitis B, MMR, varicella and Tdap, a TB test and a flu shot for the "
        "season, with COVID-19 at some sites). The EMR course has no shifts. A criminal record does not rule "
        "you out on its own, but the NREMT and state offices look at some convictions one by one, so talk "
        "to us in confidence before you enroll. Details vary by state and site. Read more about "
        "[the background check and drug screen](/guides/background-check-and-drug-screen/) and "
        "[vaccinations](/guides/vaccinations/).",
    ),
    (
        "applying",
        "What will I pay on top of the course's tuition and fees?",
        "Our cost tables show what you pay us. On top of that come the NREMT exam fee (charged for each "
        "attempt, so a retake costs it again), a state skills exam where your state has one, your state "
        "license fee, and a CPR class if you do not already hold a current healthcare-provider card. The "
        "NREMT and your state EMS office publish their current fees.",
    ),
    (
        "applying",
        "Do I need a CPR card before the course?",
        "Yes, for every course: NREMT certification at any level requires a current CPR card at the "
        "healthcare-provider (BLS) level, with a hands-on skills test. No card yet? We run a one-day class "
        "before each EMT and EMR start. [Which card counts](/guides/cpr-card/).",
    ),
    (
        "applying",
        "Are your courses accredited?",
        "It depends on the level, and [our statement on accreditation and approval](/about/accreditation/) "
        "says where each of our courses stands. In general, EMR, EMT and advanced EMT courses are approved by "
        "a state EMS office, while a paramedic program needs CAAHEP accreditation, or a CoAEMSP Letter of "
        "Review, before its graduates may take the NREMT paramedic exam.",
    ),
    (
        "paying",
        "What does a course cost?",
        "Each program's page shows its total of tuition and fees, broken down item by item, and the deposit "
        "that holds your seat; [our costs page](/paying/) lists every course side by side. The NREMT exam and "
        "your state license are paid to them, on top.",
    ),
    (
        "paying",
        "What is the deposit for?",
        "It confirms the seat we offer you. It counts towards your tuition: it is not an extra charge. Its "
        "amount is on each program's page, and [our costs page](/paying/) says when it is due.",
    ),
    (
        "paying",
        "Can I pay in instalments?",
        "Yes. Our payment plan spreads what is left after the deposit over monthly payments that end before "
        "the course does. [How the plan works](/paying/).",
    ),
    (
        "paying",
        "Will an employer pay for my course?",
        "Perhaps: many ambulance services pay for the EMT course of the people they hire, and some pay for "
        "advanced training of their staff. If yours does, we send the invoice to them. Ask them first, then "
        "tell us when you apply.",
    ),
    (
        "paying",
        "Can I use veterans' benefits or a WIOA grant?",
        "Both can pay for a course that is approved for them, and approval goes course by course. Ask us "
        "whether your course is approved before you count on the money.",
    ),
    (
        "paying",
        "What if I have to withdraw?",
        "What you get back depends on when you withdraw. [Our refund policy](/refunds/) sets it out in plain "
        "words, including what happens if we cancel or move a start.",
    ),
    (
        "applying",
        "My question is not answered here. How can I ask?",
        "Use the contact form, or call or e-mail us: our details are at the bottom of every page. We answer "
        "every question.",
    ),
]


def _next_free_ladder_order(wanted):
    if not CertificationLevel.objects.filter(ladder_order=wanted).exists():
        return wanted
    return (CertificationLevel.objects.aggregate(top=Max("ladder_order"))["top"] or 0) + 1


def _load_levels():
    created_levels = created_skills = 0
    for data in LEVELS:
        data = dict(data)
        skills = data.pop("skills")
        prerequisite_slug = data.pop("prerequisite")
        if CertificationLevel.objects.filter(Q(slug=data["slug"]) | Q(name=data["name"])).exists():
            continue
        data["ladder_order"] = _next_free_ladder_order(data["ladder_order"])
        data["prerequisite"] = (
            CertificationLevel.objects.filter(slug=prerequisite_slug).first() if prerequisite_slug else None
        )
        level = CertificationLevel(**data)
        level.full_clean()
        level.save()
        created_levels += 1
        for order, name in enumerate(skills, start=1):
            Skill.objects.create(level=level, name=name, order=order)
            created_skills += 1
    return created_levels, created_skills


def _load_roles():
    created = 0
    for data in ROLES:
        if Role.objects.filter(Q(slug=data["slug"]) | Q(name=data["name"])).exists():
            continue
        role = Role(**data)
        role.full_clean()
        role.save()
        created += 1
    return created


def _load_guides():
    created = 0
    for data in GUIDES:
        if Guide.objects.filter(slug=data["slug"]).exists():
            continue
        guide = Guide(**data, is_published=True, published_at=timezone.localdate())
        guide.full_clean()
        guide.save()
        created += 1
    return created


def _load_faq():
    created_topics = created_entries = 0
    topics = {}
    for data in FAQ_TOPICS:
        topic = FAQTopic.objects.filter(Q(slug=data["slug"]) | Q(name=data["name"])).first()
        if topic is None:
            topic = FAQTopic.objects.create(**data)
            created_topics += 1
        topics[data["slug"]] = topic
    for order, (topic_slug, question, answer) in enumerate(FAQS, start=1):
        if FAQ.objects.filter(question=question).exists():
            continue
        FAQ.objects.create(topic=topics[topic_slug], question=question, answer=answer, order=order)
        created_entries += 1
    return created_topics, created_entries


def load() -> dict[str, int]:
    levels, skills = _load_levels()
    roles = _load_roles()
    guides = _load_guides()
    topics, entries = _load_faq()
    return {
        "certification levels": levels,
        "skills": skills,
        "roles": roles,
        "guides": guides,
        "FAQ topics": topics,
        "FAQ entries": entries,
    }
