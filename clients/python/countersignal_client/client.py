"""The client: one method per verb of the HTTP API, answers as the JSON the server sent."""

from __future__ import annotations

import email.utils
import json
import mimetypes
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any, BinaryIO

Json = dict[str, Any]
# Bytes are the content itself; a str or a path names a file, read as it is sent, not into memory.
Data = bytes | str | os.PathLike[str]

MAX_IMPORT_ENTRIES = 10_000
"""The batch route's own limit on entries per call."""

DEFAULT_IMPORT_BYTES = 8 << 20
"""Half the batch route's 16 MiB body cap, so a batch is never refused for its size alone."""

MAX_MATCH_BATCH = 1_000
"""Queries per call of /match/batch."""

# Types the upload routes take; anything else a file name suggests goes as octet-stream and
# the server recognises the bytes, which is what it does for every upload anyway.
_UPLOAD_TYPES = ("image/", "video/", "text/", "application/pdf", "application/xhtml+xml",
                 "application/vnd.openxmlformats-officedocument.wordprocessingml.document")

# Content details of a match go in the JSON body, but as query parameters with an upload,
# whose body is the content: these are the parameter names.
_CONTENT_PARAMS = {"id": "content_id", "type": "content_type", "account": "account",
                   "amplifies": "amplifies", "context": "context", "account_attributes": "account_attributes"}


class CountersignalError(Exception):
    """A refusal from the server, with its RFC 9457 problem detail kept field by field.

    Callers branch on ``status`` or ``type`` and show ``field`` or ``errors`` (one per bad row of
    a batch import) to whoever must fix the request; parsing the message would break when its
    wording changes.
    """

    def __init__(self, status: int, problem: Mapping[str, Any] | None = None, body: str = "",
                 retry_after: float | None = None) -> None:
        self.status = status
        self.problem: Json = dict(problem or {})
        self.type: str | None = self.problem.get("type")
        self.title: str | None = self.problem.get("title")
        # A proxy in front of the server may answer without a problem detail: keep its text.
        self.detail: str | None = self.problem.get("detail") or (body.strip()[:500] or None)
        self.field: str | None = self.problem.get("field")
        self.errors: list[Json] = list(self.problem.get("errors") or [])
        self.retry_after = retry_after
        super().__init__(f"{status} {self.title or 'error'}: {self.detail or ''}".rstrip(": "))


class BatchImportError(CountersignalError):
    """A batch of an import was refused; the batches before it were written and stay written.

    ``imported_ids`` are those entries' ids, ``batch_start`` the position in the caller's rows
    where the refused batch began (each of its ``errors`` has an ``index`` within that batch),
    so an import can be resumed after the rows are fixed, without banking anything twice.
    """

    def __init__(self, cause: CountersignalError, imported_ids: list[int], batch_start: int) -> None:
        super().__init__(cause.status, cause.problem, cause.detail or "", cause.retry_after)
        self.imported_ids = imported_ids
        self.batch_start = batch_start


class Countersignal:
    """A Countersignal server, reached with one API key.

    ``retries`` bounds how often a request refused with 429 (the key's rate limit) or 503 with
    ``Retry-After`` (decoders busy, indexes loading) is sent again after the wait the server
    asks for; a wait longer than ``max_retry_wait`` seconds is not waited out but raised, so a
    pipeline is never stalled for minutes without knowing it. The server refuses these before
    doing any work, so sending again never does anything twice.
    """

    def __init__(self, base_url: str, api_key: str, timeout: float = 60.0, retries: int = 3,
                 max_retry_wait: float = 60.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.retries = retries
        self.max_retry_wait = max_retry_wait
        self._key = api_key

    # --- hashing ---------------------------------------------------------------------------

    def hash_file(self, data: Data, content_type: str | None = None,
                  seconds_per_frame: float | None = None) -> Json:
        """Signals of an image, text or document; for a video, the job that will have them."""
        return self._upload("/api/v1/hash", data, content_type, {"seconds_per_frame": seconds_per_frame})

    def hash_url(self, url: str, seconds_per_frame: float | None = None) -> Json:
        return self._json("POST", "/api/v1/hash/url", _given(url=url, seconds_per_frame=seconds_per_frame))

    def hash_text(self, text: str) -> Json:
        return self._json("POST", "/api/v1/hash/text", {"text": text})

    # --- matching --------------------------------------------------------------------------

    def match(self, signals: Mapping[str, Any], banks: Sequence[int] | None = None,
              content: Mapping[str, Any] | None = None, record: bool | None = None) -> Json:
        """Looks signals up; with ``content`` (or ``record=True``) the server also records and acts."""
        return self._json("POST", "/api/v1/match",
                            _given(signals=signals, banks=_ids(banks), content=content, record=record))

    def match_batch(self, queries: Iterable[Mapping[str, Any]], banks: Sequence[int] | None = None,
                    record: bool | None = None) -> Json:
        """Many items of ``{id?, signals, content?}``, sent 1,000 a call, answered in order.

        An item without an ``id`` is given its position among all the items: the server numbers
        items within one call, which would repeat ids once the items span several calls.
        """
        results: list[Json] = []
        truncated = False
        chunk: list[Mapping[str, Any]] = []
        for position, query in enumerate(queries):
            chunk.append(query if "id" in query else {**query, "id": str(position)})
            if len(chunk) == MAX_MATCH_BATCH:
                truncated |= self._match_chunk(chunk, banks, record, results)
                chunk = []
        if chunk or not results:
            truncated |= self._match_chunk(chunk, banks, record, results)
        return {"results": results, "truncated": truncated}

    def _match_chunk(self, chunk: list[Mapping[str, Any]], banks: Sequence[int] | None,
                     record: bool | None, results: list[Json]) -> bool:
        answer = self.request("POST", "/api/v1/match/batch", _given(queries=chunk, banks=_ids(banks), record=record))
        results.extend(answer["results"])
        return bool(answer.get("truncated"))

    def match_upload(self, data: Data, banks: Sequence[int] | None = None, content_type: str | None = None,
                     dihedral: bool = False, content: Mapping[str, Any] | None = None,
                     record: bool | None = None, seconds_per_frame: float | None = None) -> Json:
        """Hashes and matches content in one call; ``dihedral`` also finds rotated and mirrored copies."""
        params: dict[str, Any] = {"banks": _ids(banks), "dihedral": dihedral or None, "record": record,
                                  "seconds_per_frame": seconds_per_frame}
        for name, value in (content or {}).items():
            params[_CONTENT_PARAMS.get(name, name)] = value
        return self._upload("/api/v1/match/upload", data, content_type, params)

    def match_url(self, url: str, banks: Sequence[int] | None = None, dihedral: bool | None = None,
                  content: Mapping[str, Any] | None = None, record: bool | None = None,
                  seconds_per_frame: float | None = None) -> Json:
        return self._json("POST", "/api/v1/match/url", _given(
            url=url, banks=_ids(banks), dihedral=dihedral, content=content, record=record,
            seconds_per_frame=seconds_per_frame))

    def match_text(self, text: str, banks: Sequence[int] | None = None,
                   content: Mapping[str, Any] | None = None, record: bool | None = None) -> Json:
        return self._json("POST", "/api/v1/match/text",
                            _given(text=text, banks=_ids(banks), content=content, record=record))

    # --- livestreams ------------------------------------------------------------------------

    def open_stream(self, external_id: str | None = None, account: str | None = None,
                    banks: Sequence[int] | None = None, window_seconds: int | None = None) -> Json:
        """Opens a livestream to match as it plays: send its frames with ``send_frames``."""
        return self._json("POST", "/api/v1/streams", _given(
            external_id=external_id, account=account, banks=_ids(banks), window_seconds=window_seconds))

    def send_frames(self, stream_id: int, frames: Iterable[Mapping[str, Any]]) -> Json:
        """Frames as ``{pdq, quality?, at_seconds}``, at most 120 a call; ``alerts`` in the answer are what they raised.

        Sending the same call again is safe: frames at positions the stream has are counted as ``repeated``.
        """
        return self._json("POST", f"/api/v1/streams/{int(stream_id)}/frames", {"frames": list(frames)})

    def send_frame_image(self, stream_id: int, data: Data, at_seconds: float, content_type: str | None = None) -> Json:
        """One frame as a picture, hashed by the server."""
        return self._upload(f"/api/v1/streams/{int(stream_id)}/frames/image", data, content_type, {"at_seconds": at_seconds})

    def close_stream(self, stream_id: int) -> Json:
        return self._json("POST", f"/api/v1/streams/{int(stream_id)}/close")

    def stream(self, stream_id: int) -> Json:
        """The stream with every alert it raised."""
        return self._json("GET", f"/api/v1/streams/{int(stream_id)}")

    def streams(self, state: str | None = None, limit: int | None = None) -> list[Json]:
        """This key's streams, newest first; ``state`` is ``open`` or ``closed``."""
        items: list[Json] = self._json("GET", "/api/v1/streams", params={"state": state, "limit": limit})["items"]
        return items

    # --- variant discovery -----------------------------------------------------------------

    def discovery_settings(self) -> Json:
        """How variant discovery runs; it is off until an admin turns it on."""
        return self._json("GET", "/api/v1/discovery/settings")

    def change_discovery_settings(self, **fields: Any) -> Json:
        """``fields`` as the API names them (enabled, retention_hours, near_miss, ...); the others keep their values."""
        return self._json("PATCH", "/api/v1/discovery/settings", fields)

    def run_discovery(self) -> Json:
        """Runs discovery now rather than at its next 30 s: what it kept, scanned and proposed."""
        return self._json("POST", "/api/v1/discovery/run", {})

    def proposals(self, state: str | None = None, kind: str | None = None, limit: int | None = None) -> list[Json]:
        """Possible new variants, newest first; ``state`` is open, accepted or rejected, ``kind`` near_miss or cluster."""
        items: list[Json] = self._json("GET", "/api/v1/proposals", params={"state": state, "kind": kind, "limit": limit})["items"]
        return items

    def proposal(self, proposal_id: int) -> Json:
        return self._json("GET", f"/api/v1/proposals/{int(proposal_id)}")

    def accept_proposal(self, proposal_id: int, bank_id: int | None = None, labels: Sequence[str] | None = None,
                        note: str | None = None) -> Json:
        """Banks the proposal's signal: in the nearest entry's bank with its labels unless others are given."""
        return self._json("POST", f"/api/v1/proposals/{int(proposal_id)}/accept",
                          _given(bank_id=bank_id, labels=None if labels is None else list(labels), note=note))

    def reject_proposal(self, proposal_id: int, reason: str) -> Json:
        """Closes it with the reason; its signal is not proposed again."""
        return self._json("POST", f"/api/v1/proposals/{int(proposal_id)}/reject", {"reason": reason})

    # --- banks -----------------------------------------------------------------------------

    def banks(self) -> list[Json]:
        items: list[Json] = self._json("GET", "/api/v1/banks")["items"]
        return items

    def bank(self, bank_id: int) -> Json:
        return self._json("GET", f"/api/v1/banks/{int(bank_id)}")

    def create_bank(self, name: str, **fields: Any) -> Json:
        """``fields`` as the API names them: description, labels, entities, thresholds, sharing..."""
        return self._json("POST", "/api/v1/banks", {"name": name, **fields})

    def update_bank(self, bank_id: int, **fields: Any) -> Json:
        """Changes only the fields given; thresholds given are merged into the bank's."""
        return self._json("PATCH", f"/api/v1/banks/{int(bank_id)}", fields)

    def delete_bank(self, bank_id: int) -> None:
        self.request("DELETE", f"/api/v1/banks/{int(bank_id)}")

    # --- entries ---------------------------------------------------------------------------

    def add_entry(self, bank_id: int, signals: Mapping[str, str], labels: Sequence[str] | None = None,
                  note: str | None = None, entities: Sequence[str] | None = None,
                  provenance: str | None = None) -> Json:
        return self._json("POST", f"/api/v1/banks/{int(bank_id)}/entries", _given(
            signals=signals, labels=labels, note=note, entities=entities, provenance=provenance))

    def upload_entry(self, bank_id: int, data: Data, content_type: str | None = None,
                     labels: Sequence[str] | None = None, note: str | None = None,
                     entities: Sequence[str] | None = None, provenance: str | None = None,
                     seconds_per_frame: float | None = None) -> Json:
        """Banks content itself: the entry at once, or for a video the job that will add it."""
        return self._upload(f"/api/v1/banks/{int(bank_id)}/entries/upload", data, content_type, {
            "labels": labels, "note": note, "entities": entities, "provenance": provenance,
            "seconds_per_frame": seconds_per_frame})

    def entry(self, entry_id: int) -> Json:
        return self._json("GET", f"/api/v1/entries/{int(entry_id)}")

    def entries(self, bank_id: int | None = None, *, after: int = 0, limit: int = 100,
                label: str | None = None, entity: str | None = None, enabled: bool | None = None,
                signal_type: str | None = None, signal: str | None = None) -> Json:
        """One page, ``{items, next_after}``, of a bank's entries or (without ``bank_id``) all of them."""
        path = "/api/v1/entries" if bank_id is None else f"/api/v1/banks/{int(bank_id)}/entries"
        return self._json("GET", path, params={
            "after": after, "limit": limit, "label": label, "entity": entity, "enabled": enabled,
            "signal_type": signal_type, "signal": signal})

    def iter_entries(self, bank_id: int | None = None, page_size: int = 1000, **filters: Any) -> Iterator[Json]:
        """Every entry the filters select, a page at a time, so a large bank is never held whole."""
        after = 0
        while True:
            page = self.entries(bank_id, after=after, limit=page_size, **filters)
            yield from page["items"]
            if page.get("next_after") is None:
                return
            after = page["next_after"]

    def disable_entry(self, entry_id: int, reason: str, until: datetime | str | None = None) -> Json:
        """Stops an entry matching at once; with ``until`` the server enables it again then."""
        if isinstance(until, datetime):
            until = until.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
        return self._json("POST", f"/api/v1/entries/{int(entry_id)}/disable", _given(reason=reason, until=until))

    def enable_entry(self, entry_id: int) -> Json:
        return self._json("POST", f"/api/v1/entries/{int(entry_id)}/enable")

    def delete_entry(self, entry_id: int) -> None:
        self.request("DELETE", f"/api/v1/entries/{int(entry_id)}")

    def import_entries(self, bank_id: int, entries: Iterable[Mapping[str, Any]], dry_run: bool = False, *,
                       batch_size: int = MAX_IMPORT_ENTRIES, max_batch_bytes: int = DEFAULT_IMPORT_BYTES) -> list[int]:
        """Banks many entries, in batches each written whole or not at all; returns the new ids in order.

        ``entries`` is read lazily, so a hash list larger than memory can be streamed. A refused
        batch raises :class:`BatchImportError`, which tells what was already written. With
        ``dry_run`` every batch is checked and nothing is written (the answer is then empty); a
        signal repeated in two different batches is found only by the real import.
        """
        if not 1 <= batch_size <= MAX_IMPORT_ENTRIES:
            raise ValueError(f"batch_size must be from 1 to {MAX_IMPORT_ENTRIES}")
        ids: list[int] = []
        batch: list[bytes] = []
        size = start = 0
        for entry in entries:
            row = json.dumps(entry, separators=(",", ":"), ensure_ascii=False).encode()
            if batch and (len(batch) == batch_size or size + len(row) > max_batch_bytes):
                ids += self._import_batch(bank_id, batch, dry_run, ids, start)
                start += len(batch)
                batch, size = [], 0
            batch.append(row)
            size += len(row) + 1
        if batch:
            ids += self._import_batch(bank_id, batch, dry_run, ids, start)
        return ids

    def _import_batch(self, bank_id: int, rows: list[bytes], dry_run: bool, done: list[int], start: int) -> list[int]:
        body = b'{"entries":[' + b",".join(rows) + b"]}"
        try:
            answer = self._send("POST", f"/api/v1/banks/{int(bank_id)}/entries/batch",
                                {"dry_run": True if dry_run else None}, body, "application/json")
        except CountersignalError as refused:
            raise BatchImportError(refused, list(done), start) from None
        return [] if dry_run else list(answer["entry_ids"])

    # --- video jobs ------------------------------------------------------------------------

    def job(self, job_id: int | Mapping[str, Any]) -> Json:
        return self._json("GET", f"/api/v1/jobs/{_job_id(job_id)}")

    def wait_for_job(self, job_id: int | Mapping[str, Any], timeout: float = 600.0,
                     max_interval: float = 5.0) -> Json:
        """Polls until the job has succeeded or failed and returns it; TimeoutError if it has not by then.

        A failed job is returned, not raised: its ``error`` says why the video could not be read,
        which is an answer about the content rather than a fault of the call.
        """
        deadline = time.monotonic() + timeout
        pause = 0.2
        while True:
            job = self.job(job_id)
            if job["status"] in ("succeeded", "failed"):
                return job
            if time.monotonic() + pause > deadline:
                raise TimeoutError(f"job {job['id']} is still {job['status']} after {timeout} s")
            time.sleep(pause)
            pause = min(pause * 2, max_interval)

    # --- transport -------------------------------------------------------------------------

    def request(self, method: str, path: str, body: Any = None, params: Mapping[str, Any] | None = None) -> Any:
        """Any route under the server, for those without a method here (keys, rules, the audit log).

        Returns the decoded JSON, the text of a text answer, or None for 204.
        """
        data = None if body is None else json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
        return self._send(method, path, params, data, None if data is None else "application/json")

    def _json(self, method: str, path: str, body: Any = None, params: Mapping[str, Any] | None = None) -> Json:
        answer: Json = self.request(method, path, body, params)
        return answer

    def _upload(self, path: str, data: Data, content_type: str | None, params: Mapping[str, Any]) -> Json:
        answer: Json
        if isinstance(data, (bytes, bytearray, memoryview)):
            answer = self._send("POST", path, params, bytes(data), content_type or "application/octet-stream")
        else:
            with open(data, "rb") as file:
                answer = self._send("POST", path, params, file, content_type or _guess_type(os.fspath(data)))
        return answer

    def _send(self, method: str, path: str, params: Mapping[str, Any] | None, data: bytes | BinaryIO | None,
              content_type: str | None) -> Any:
        query = _query(params or {})
        url = self.base_url + path + ("?" + query if query else "")
        headers = {"Authorization": f"Bearer {self._key}", "Accept": "application/json"}
        if content_type:
            headers["Content-Type"] = content_type
        if data is not None and not isinstance(data, bytes):
            # A file is streamed with its length; without one urllib would send it chunked.
            headers["Content-Length"] = str(os.fstat(data.fileno()).st_size)
        attempt = 0
        while True:
            if data is not None and not isinstance(data, bytes):
                data.seek(0)
            request = urllib.request.Request(url, data=data, method=method, headers=headers)
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    return _decoded(response.headers.get("Content-Type"), response.read())
            except urllib.error.HTTPError as answer:
                with answer:
                    refusal = _refusal(answer)
            wait = refusal.retry_after
            if (refusal.status in (429, 503) and wait is not None and attempt < self.retries
                    and wait <= self.max_retry_wait):
                attempt += 1
                time.sleep(wait)
                continue
            raise refusal


def _decoded(content_type: str | None, body: bytes) -> Any:
    if not body:
        return None
    if content_type and "json" in content_type:
        return json.loads(body)
    return body.decode("utf-8", errors="replace")


def _refusal(answer: urllib.error.HTTPError) -> CountersignalError:
    body = answer.read() or b""
    problem = None
    if "json" in (answer.headers.get("Content-Type") or ""):
        try:
            problem = json.loads(body)
        except ValueError:
            pass
    text = body.decode("utf-8", errors="replace")
    return CountersignalError(answer.code, problem if isinstance(problem, dict) else None, text,
                              _retry_after(answer.headers.get("Retry-After")))


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait: the server sends a number, but HTTP also allows a date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def _query(params: Mapping[str, Any]) -> str:
    """Query parameters as the upload and list routes read them: lists comma-separated, booleans as words."""
    pairs = []
    for name, value in params.items():
        if value is None:
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, (list, tuple)):
            value = ",".join(str(item) for item in value)
        pairs.append((name, str(value)))
    return urllib.parse.urlencode(pairs)


def _given(**fields: Any) -> Json:
    """A JSON body of the fields given: the server tells an absent field from a null one."""
    return {name: value for name, value in fields.items() if value is not None}


def _ids(banks: Sequence[int] | None) -> list[int] | None:
    return None if banks is None else [int(bank) for bank in banks]


def _job_id(job: int | Mapping[str, Any]) -> int:
    return int(job["id"]) if isinstance(job, Mapping) else int(job)


def _guess_type(path: str) -> str:
    guessed = mimetypes.guess_type(path)[0] or ""
    return guessed if guessed.startswith(_UPLOAD_TYPES) else "application/octet-stream"
