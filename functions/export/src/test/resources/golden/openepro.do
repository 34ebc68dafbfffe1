* OpenEPRO export: reads data.csv (UTF-8) from the working directory; labels are the questionnaires' own texts; dictionary.csv describes every variable
* Empty numeric cells are missing (.).
import delimited using "data.csv", varnames(1) case(preserve) encoding("utf-8") delimiters(",") bindquotes(strict) stripquotes(yes) stringcols(1 3 4 5 6 7 8 9 10 12 13 14 25 28 29 30) numericcols(2 11 15 16 17 18 19 20 21 22 23 24 26 27 31) clear
label variable reportId `"Report id"'
label variable version `"Report version (1 = original, higher = amendment)"'
label variable status `"QuestionnaireResponse status"'
label variable pseudonym `"Subject pseudonym (random, per study)"'
label variable siteId `"Site id"'
label variable questionnaire `"Questionnaire id"'
label variable questionnaireVersion `"Questionnaire version"'
label variable authoredAt `"When the patient completed it (UTC)"'
label variable authoredOffset `"The patient's UTC offset when completing it, as their device sent it (local time"'
label variable receivedAt `"When the server received this version (UTC)"'
label variable onTime `"Received within the questionnaire's submission window"'
label variable language `"The language the patient answered in (BCP 47 tag, QuestionnaireResponse.language"'
label variable taskId `"The schedule task it answers (QuestionnaireResponse.basedOn, or matched to the o"'
label variable windowVerdict `"How it relates to its task's window: on-time, late, early or unscheduled (empty:"'
label variable i44250_9 `"Little interest or pleasure in doing things"'
label variable i44255_8 `"Feeling down, depressed, or hopeless"'
label variable i44259_0 `"Trouble falling or staying asleep, or sleeping too much"'
label variable i44254_1 `"Feeling tired or having little energy"'
label variable i44251_7 `"Poor appetite or overeating"'
label variable i44258_2 `"Feeling bad about yourself - or that you are a failure or have let yourself or y"'
label variable i44252_5 `"Trouble concentrating on things, such as reading the newspaper or watching telev"'
label variable i44253_3 `"Moving or speaking so slowly that other people could have noticed. Or the opposi"'
label variable i44260_8 `"Thoughts that you would be better off dead, or of hurting yourself in some way"'
label variable i69722_7 `"If you checked off any problems, how difficult have these problems made it for y"'
label variable mood `"Mood today"'
label variable weight `"Weight (kg)"'
label variable fever `"Fever"'
label variable onset `"When did the symptom start?"'
label variable woke `"When did you wake up?"'
label variable comment `"Anything else?"'
label variable phq_9_score_total `"PHQ-9 total"'
label define onTime 0 `"false"' 1 `"true"', replace
label values onTime onTime
label define i44250_9 0 `"Not at all"' 1 `"Several days"' 2 `"More than half the days"' 3 `"Nearly every day"', replace
label values i44250_9 i44250_9
label define i44255_8 0 `"Not at all"' 1 `"Several days"' 2 `"More than half the days"' 3 `"Nearly every day"', replace
label values i44255_8 i44255_8
label define i44259_0 0 `"Not at all"' 1 `"Several days"' 2 `"More than half the days"' 3 `"Nearly every day"', replace
label values i44259_0 i44259_0
label define i44254_1 0 `"Not at all"' 1 `"Several days"' 2 `"More than half the days"' 3 `"Nearly every day"', replace
label values i44254_1 i44254_1
label define i44251_7 0 `"Not at all"' 1 `"Several days"' 2 `"More than half the days"' 3 `"Nearly every day"', replace
label values i44251_7 i44251_7
label define i44258_2 0 `"Not at all"' 1 `"Several days"' 2 `"More than half the days"' 3 `"Nearly every day"', replace
label values i44258_2 i44258_2
label define i44252_5 0 `"Not at all"' 1 `"Several days"' 2 `"More than half the days"' 3 `"Nearly every day"', replace
label values i44252_5 i44252_5
label define i44253_3 0 `"Not at all"' 1 `"Several days"' 2 `"More than half the days"' 3 `"Nearly every day"', replace
label values i44253_3 i44253_3
label define i44260_8 0 `"Not at all"' 1 `"Several days"' 2 `"More than half the days"' 3 `"Nearly every day"', replace
label values i44260_8 i44260_8
label define i69722_7 0 `"Not difficult at all"' 1 `"Somewhat difficult"' 2 `"Very difficult"' 3 `"Extremely difficult"', replace
label values i69722_7 i69722_7
generate byte mood_n = .
replace mood_n = 1 if mood == `"good"'
replace mood_n = 2 if mood == `"poor"'
label define mood_n 1 `"Good"' 2 `"Poor"', replace
label values mood_n mood_n
label variable mood_n `"Mood today (coded)"'
label define fever 0 `"false"' 1 `"true"', replace
label values fever fever
