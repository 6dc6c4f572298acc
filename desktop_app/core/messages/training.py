"""Strings of the training window and its scenarios."""

from typing import Final

MESSAGES: Final[dict[str, str]] = {
    # training
    "training.title": "Training",
    "training.error": "{source}: {field}: {reason}",
    "training.missing": "this field is required",
    "training.error_table": "must be a table ([name] or [[name]])",
    "training.error_string": "must be a non-empty text",
    "training.error_bool": "must be true or false",
    "training.error_int": "must be a whole number",
    "training.error_list": "must be a list of texts",
    "training.error_choice": "“{value}” is not one of: {allowed}",
    "training.error_address": "“{value}” is not an address: {problem}",
    "training.error_domain": "“{value}” is not a domain: {problem}",
    "training.error_unknown": "unknown field (misspelt?)",
    "training.error_no_answer": "name at least one correct decision",
    "training.error_duplicate_person": "the same address appears in two [[person]] entries",
    "training.error_no_person": (
        "{address} has no [[person]] entry saying what certificate they have"
    ),
    "training.error_toml": "not valid TOML: {problem}",
    "training.error_people": "at least one [[person]] is needed",
    "training.error_original_new": "a new message has no [original]; use a reply action",
    "training.not_utf8": "the file is not UTF-8 text",
    "training.bad_progress": "{source} could not be read; your training starts afresh.",
    "training.problems": (
        "{count} scenario {count:p:file|files} could not be loaded and {count:p:was|were} skipped:"
    ),
    "training.correct": "Correct",
    "training.incorrect": "Not the best choice",
    "training.points": "{score} points",
    "training.result_all_read": "Everyone would have received it encrypted and could read it.",
    "training.result_p7m": "{name} would have received smime.p7m and could not read it.",
    "training.result_gate_stops": (
        "smime-guard would not have sent it: it shows Not Encrypted and opens the send dialog."
    ),
    "training.result_nobody_to_remove": "Everyone is covered: there was nobody to remove.",
    "training.result_nobody_left": "Nobody can read encrypted mail: removing them leaves no one.",
    "training.result_removed": (
        "{names} would have been removed and would not get the message; "
        "everyone else would have received it encrypted."
    ),
    "training.result_policy_forbids": (
        "Your practice's policy requires encryption here: smime-guard would not offer it."
    ),
    "training.result_clear_text": (
        "The message would have gone out unencrypted: readable by any server on the way."
    ),
    "training.result_quote_exposed": (
        "The quoted text of the encrypted original would have gone out in clear text too."
    ),
    "training.result_audited": "The override would have been written to the audit log.",
    "training.result_nothing_sent": "Nothing would have been sent yet.",
    "training.result_no_need_to_ask": (
        "Everyone already has a usable certificate; asking was not needed."
    ),
    "training.result_asked": (
        "Nothing would have been sent yet. {names} would be asked to send you a signed "
        "message; their certificate is learnt from it once the signature checks out."
    ),
    "training.not_tried": "Not tried yet",
    "training.scored": "{score} points after {attempts} {attempts:p:attempt|attempts}",
    "training.list_item": "{number}. {title}",
    "training.overall": "Score {score}% · {completed} of {total} scenarios solved",
    "training.lesson": "Lesson",
    "training.export": "Export record…",
    "training.export_title": "Training record",
    "training.export_no_name": "Enter your name on the lesson page first; the record carries it.",
    "training.exported": "Wrote {csv} and {json} to {folder}.",
    "training.name_label": "Your name",
    "training.name_placeholder": "as it should appear in the training record",
    "training.start": "Start the scenarios",
    "training.question": "What do you do?",
    "training.hint": (
        "Look at the status line and every token first; click a token to see its certificate."
    ),
    "training.decide_send_encrypted": "Send encrypted",
    "training.decide_remove": "Remove the red recipients, send encrypted",
    "training.decide_unencrypted": "Send without encryption",
    "training.decide_keep_editing": "Keep editing (don't send yet)",
    "training.decide_ask_signed": "Ask for a signed message first",
    "training.tip_send_encrypted": "Send the message as it is, encrypted.",
    "training.tip_remove": "Take off every recipient with a red open lock and send to the rest.",
    "training.tip_unencrypted": "Send the message readable by anyone on the way.",
    "training.tip_keep_editing": "Go back to the draft: change recipients or wording first.",
    "training.tip_ask_signed": (
        "Ask the red recipients to send you a signed message, which carries their certificate."
    ),
    "training.retry": "Try again",
    "training.next": "Next scenario",
    "training.finish": "Finish",
    "training.phone_showed": "What the phone showed",
    "training.correct_verdict": "What is correct (smime-guard)",
    "training.original_plain": "Original message from {sender} to {to}, Cc {cc}: “{subject}”",
    "training.original_encrypted": (
        "Original message (encrypted) from {sender} to {to}, Cc {cc}: “{subject}”"
    ),
    "training.lesson_title": "Before you start: the locks",
    "training.lesson_intro": (
        "Each scenario opens the real compose screen in a sandbox: nothing is sent and no "
        "server is contacted. Read the story, look at the locks, then decide."
    ),
    "training.lesson_blue_title": "Blue closed lock: this person can read encrypted mail",
    "training.lesson_blue": (
        "We hold a valid certificate for exactly this address, issued by a CA we trust, "
        "not expired, not revoked and allowed for encryption."
    ),
    "training.lesson_red_title": "Red open lock: this person cannot",
    "training.lesson_red": (
        "No certificate, or one that is expired, revoked, not trusted, for signing only, or "
        "issued for another address. Encrypted mail would reach them as a file called "
        "smime.p7m that they cannot open. The token says why; click it for the details."
    ),
    "training.lesson_sources_title": "Where certificates come from",
    "training.lesson_sources": (
        "Your organisation's directory, a certificate your administrator imported, or a signed "
        "message: a signature carries the sender's certificate, learnt once it checks out."
    ),
    "training.lesson_whole_title": "The whole message must be readable by everyone",
    "training.lesson_whole": (
        "An encrypted message is one sealed envelope for all its To, Cc and Bcc recipients. "
        "If one of them has a red lock, the message is Not Encrypted, whoever else is covered. "
        "A Reply All is judged exactly like a new message to the same people."
    ),
    "training.lesson_decisions_title": "Your decisions",
    "training.lesson_decisions": (
        "Send encrypted · remove the red recipients and send encrypted · send without "
        "encryption (only where policy allows, never with patient data) · keep editing · ask "
        "for a signed message first. After each decision you see what would have happened."
    ),
    "training.no_scenarios": "No training scenarios could be loaded.",
    "training.open_tip": "Practise S/MIME decisions on realistic scenarios, in a sandbox",
}
