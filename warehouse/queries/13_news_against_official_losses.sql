-- Where did the news and the General Staff disagree? Reported loss figures that differ from the official series, biggest gap first.
SELECT report_date, category, basis, reported, official, difference, url, sentence
FROM v_loss_reconciliation
WHERE status = 'mismatch'
ORDER BY abs(difference) DESC, report_date, category;
