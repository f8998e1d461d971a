#!/usr/bin/env python3
"""Independent checks of hotdesk's feeds, run by tests/it/feeds.rs.

Usage:
  feeds_check.py ical FILE...     parse each iCalendar file with the `icalendar` package
                                  and check RFC 5545 rules hotdesk promises; prints one
                                  JSON object: {file: [[uid, dtstart_utc, dtend_utc, status], ...]}
  feeds_check.py atom FILE...     parse each Atom feed with xml.etree and check the required
                                  elements; prints {file: [entry ids]}
  feeds_check.py rrule DTSTART RULE
                                  expand RULE from the local DTSTART with python-dateutil;
                                  prints the dates as a JSON list of YYYY-MM-DD

Exits non-zero, naming the file and the rule, at the first problem.
"""

import json
import sys


def fail(msg):
    print(msg, file=sys.stderr)
    sys.exit(1)


def check_ical(paths):
    import datetime

    import icalendar

    out = {}
    for path in paths:
        raw = open(path, "rb").read()
        if not raw.endswith(b"\r\n"):
            fail(f"{path}: does not end in CRLF")
        for n, line in enumerate(raw.split(b"\r\n")[:-1], 1):
            if b"\n" in line or b"\r" in line:
                fail(f"{path}:{n}: bare LF or CR inside a line")
            if len(line) > 75:
                fail(f"{path}:{n}: {len(line)} octets, more than 75")
            line.decode("utf-8")  # every physical line is whole UTF-8
        cal = icalendar.Calendar.from_ical(raw)
        if cal.get("VERSION") != "2.0" or not cal.get("PRODID"):
            fail(f"{path}: VERSION 2.0 and PRODID are required")
        events = []
        uids = set()
        for ev in cal.walk("VEVENT"):
            for prop in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "SEQUENCE"):
                if ev.get(prop) is None:
                    fail(f"{path}: an event has no {prop}")
            uid = str(ev["UID"])
            if uid in uids:
                fail(f"{path}: UID {uid} used twice")
            uids.add(uid)
            start = ev.decoded("DTSTART")
            end = ev.decoded("DTEND")
            for v in (start, end, ev.decoded("DTSTAMP")):
                if not isinstance(v, datetime.datetime) or v.utcoffset() != datetime.timedelta(0):
                    fail(f"{path}: {uid}: times must be UTC date-times, got {v!r}")
            if end <= start:
                fail(f"{path}: {uid}: DTEND is not after DTSTART")
            status = str(ev.get("STATUS", ""))
            if status not in ("CONFIRMED", "CANCELLED", "TENTATIVE"):
                fail(f"{path}: {uid}: STATUS {status!r}")
            events.append(
                [
                    uid,
                    start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    end.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    status,
                    str(ev["SUMMARY"]),
                ]
            )
        out[path] = events
    print(json.dumps(out))


def check_atom(paths):
    import xml.etree.ElementTree as ET

    ns = {"a": "http://www.w3.org/2005/Atom"}
    out = {}
    for path in paths:
        root = ET.parse(path).getroot()
        if root.tag != "{http://www.w3.org/2005/Atom}feed":
            fail(f"{path}: the root is not an Atom feed")
        for req in ("a:id", "a:title", "a:updated"):
            if root.find(req, ns) is None:
                fail(f"{path}: the feed has no {req}")
        if root.find("a:author", ns) is None:
            fail(f"{path}: the feed has no author")
        ids = []
        for entry in root.findall("a:entry", ns):
            for req in ("a:id", "a:title", "a:updated", "a:link"):
                if entry.find(req, ns) is None:
                    fail(f"{path}: an entry has no {req}")
            ids.append(entry.find("a:id", ns).text)
        if len(set(ids)) != len(ids):
            fail(f"{path}: an entry id is used twice")
        out[path] = ids
    print(json.dumps(out))


def expand_rrule(dtstart, rule):
    import datetime

    from dateutil.rrule import rrulestr

    start = datetime.datetime.fromisoformat(dtstart)
    # dateutil wants UNTIL as a date-time; our UNTIL is a whole local date (inclusive).
    parts = []
    for part in rule.split(";"):
        k, _, v = part.partition("=")
        if k.upper() == "UNTIL":
            v = v.replace("-", "") + "T235959"
        parts.append(f"{k}={v}")
    dates = [d.date().isoformat() for d in rrulestr(";".join(parts), dtstart=start)]
    print(json.dumps(dates))


def main():
    if len(sys.argv) < 3:
        fail(__doc__)
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "ical":
        check_ical(args)
    elif mode == "atom":
        check_atom(args)
    elif mode == "rrule":
        expand_rrule(*args)
    else:
        fail(__doc__)


if __name__ == "__main__":
    main()
