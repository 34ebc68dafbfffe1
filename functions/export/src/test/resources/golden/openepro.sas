/* OpenEPRO export: reads data.csv (UTF-8) from the working directory; labels are the questionnaires' own texts; dictionary.csv describes every variable. */
/* Empty cells are missing (. for numbers, blank for text). */
proc format;
  value onTimef
    0 = "false"
    1 = "true"
  ;
  value i44250_9f
    0 = "Not at all"
    1 = "Several days"
    2 = "More than half the days"
    3 = "Nearly every day"
  ;
  value i44255_8f
    0 = "Not at all"
    1 = "Several days"
    2 = "More than half the days"
    3 = "Nearly every day"
  ;
  value i44259_0f
    0 = "Not at all"
    1 = "Several days"
    2 = "More than half the days"
    3 = "Nearly every day"
  ;
  value i44254_1f
    0 = "Not at all"
    1 = "Several days"
    2 = "More than half the days"
    3 = "Nearly every day"
  ;
  value i44251_7f
    0 = "Not at all"
    1 = "Several days"
    2 = "More than half the days"
    3 = "Nearly every day"
  ;
  value i44258_2f
    0 = "Not at all"
    1 = "Several days"
    2 = "More than half the days"
    3 = "Nearly every day"
  ;
  value i44252_5f
    0 = "Not at all"
    1 = "Several days"
    2 = "More than half the days"
    3 = "Nearly every day"
  ;
  value i44253_3f
    0 = "Not at all"
    1 = "Several days"
    2 = "More than half the days"
    3 = "Nearly every day"
  ;
  value i44260_8f
    0 = "Not at all"
    1 = "Several days"
    2 = "More than half the days"
    3 = "Nearly every day"
  ;
  value i69722_7f
    0 = "Not difficult at all"
    1 = "Somewhat difficult"
    2 = "Very difficult"
    3 = "Extremely difficult"
  ;
  value $moodf
    "good" = "Good"
    "poor" = "Poor"
  ;
  value feverf
    0 = "false"
    1 = "true"
  ;
run;

data openepro;
  infile 'data.csv' dsd firstobs=2 lrecl=1048576 encoding='utf-8' truncover termstr=crlf;
  length
    reportId $ 36
    version 8
    status $ 16
    pseudonym $ 64
    siteId $ 64
    questionnaire $ 64
    questionnaireVersion $ 64
    authoredAt $ 24
    authoredOffset $ 6
    receivedAt $ 24
    onTime 8
    language $ 255
    taskId $ 255
    windowVerdict $ 255
    i44250_9 8
    i44255_8 8
    i44259_0 8
    i44254_1 8
    i44251_7 8
    i44258_2 8
    i44252_5 8
    i44253_3 8
    i44260_8 8
    i69722_7 8
    mood $ 4
    weight 8
    fever 8
    onset $ 10
    woke $ 35
    comment $ 255
    phq_9_score_total 8
  ;
  input
    reportId $
    version
    status $
    pseudonym $
    siteId $
    questionnaire $
    questionnaireVersion $
    authoredAt $
    authoredOffset $
    receivedAt $
    onTime
    language $
    taskId $
    windowVerdict $
    i44250_9
    i44255_8
    i44259_0
    i44254_1
    i44251_7
    i44258_2
    i44252_5
    i44253_3
    i44260_8
    i69722_7
    mood $
    weight
    fever
    onset $
    woke $
    comment $
    phq_9_score_total
  ;
  label
    reportId = "Report id"
    version = "Report version (1 = original, higher = amendment)"
    status = "QuestionnaireResponse status"
    pseudonym = "Subject pseudonym (random, per study)"
    siteId = "Site id"
    questionnaire = "Questionnaire id"
    questionnaireVersion = "Questionnaire version"
    authoredAt = "When the patient completed it (UTC)"
    authoredOffset = "The patient's UTC offset when completing it, as their device sent it (local time = authoredAt + offset)"
    receivedAt = "When the server received this version (UTC)"
    onTime = "Received within the questionnaire's submission window"
    language = "The language the patient answered in (BCP 47 tag, QuestionnaireResponse.language)"
    taskId = "The schedule task it answers (QuestionnaireResponse.basedOn, or matched to the open window)"
    windowVerdict = "How it relates to its task's window: on-time, late, early or unscheduled (empty: stored before schedules)"
    i44250_9 = "Little interest or pleasure in doing things"
    i44255_8 = "Feeling down, depressed, or hopeless"
    i44259_0 = "Trouble falling or staying asleep, or sleeping too much"
    i44254_1 = "Feeling tired or having little energy"
    i44251_7 = "Poor appetite or overeating"
    i44258_2 = "Feeling bad about yourself - or that you are a failure or have let yourself or your family down"
    i44252_5 = "Trouble concentrating on things, such as reading the newspaper or watching television"
    i44253_3 = "Moving or speaking so slowly that other people could have noticed. Or the opposite - being so fidgety or restless that you have been moving around a lot more than usual"
    i44260_8 = "Thoughts that you would be better off dead, or of hurting yourself in some way"
    i69722_7 = "If you checked off any problems, how difficult have these problems made it for you to do your work, take care of things at home, or get along with other people?"
    mood = "Mood today"
    weight = "Weight (kg)"
    fever = "Fever"
    onset = "When did the symptom start?"
    woke = "When did you wake up?"
    comment = "Anything else?"
    phq_9_score_total = "PHQ-9 total"
  ;
  format
    onTime onTimef.
    i44250_9 i44250_9f.
    i44255_8 i44255_8f.
    i44259_0 i44259_0f.
    i44254_1 i44254_1f.
    i44251_7 i44251_7f.
    i44258_2 i44258_2f.
    i44252_5 i44252_5f.
    i44253_3 i44253_3f.
    i44260_8 i44260_8f.
    i69722_7 i69722_7f.
    mood $moodf.
    fever feverf.
  ;
run;
