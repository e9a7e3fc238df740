"""Hashing and matching through the client: signals, uploads, rotations, texts, URLs and batches.

Distances are checked against what the tests know of the hashes they made (bits flipped on
purpose, the same picture sent twice), never against the client's own output.
"""

from __future__ import annotations

import hashlib
import http.server
import os
import random
import tempfile
import threading
import unittest
import uuid
from typing import Any

from countersignal_client import Countersignal, CountersignalError

from . import support

# The README's pair: the second is the first with 6 bits changed.
BANKED_PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"
NEAR_PDQ = "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22"


def prose(seed: int, words: int) -> str:
    """Text of invented words, so no other test's text, nor any real one, is near it."""
    rng = random.Random(seed)
    vocabulary = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9)))
                  for _ in range(500)]
    return " ".join(rng.choice(vocabulary) for _ in range(words))


class MatchingTest(unittest.TestCase):
    cs: Countersignal
    rng: random.Random
    bank: dict[str, Any]
    other: dict[str, Any]
    entry: dict[str, Any]

    @classmethod
    def setUpClass(cls) -> None:
        cls.cs = support.client()
        cls.rng = random.Random(23)
        cls.bank = cls.cs.create_bank(support.unique("matching"), labels=["attacker_manifesto"])
        cls.other = cls.cs.create_bank(support.unique("matching, other"))
        cls.entry = cls.cs.add_entry(cls.bank["id"], {"pdq": BANKED_PDQ}, labels=["graphic_violence_defenceless"])

    @classmethod
    def tearDownClass(cls) -> None:
        cls.cs.delete_bank(cls.bank["id"])
        cls.cs.delete_bank(cls.other["id"])

    def test_near_hash_matches_at_its_hamming_distance(self) -> None:
        self.assertEqual(support.distance(BANKED_PDQ, NEAR_PDQ), 6)
        answer = self.cs.match({"pdq": NEAR_PDQ}, banks=[self.bank["id"]])
        self.assertFalse(answer["truncated"])
        [hit] = answer["matches"]
        self.assertEqual(hit["entry_id"], self.entry["id"])
        self.assertEqual(hit["bank_name"], self.bank["name"])
        self.assertEqual(hit["distance"], 6)
        self.assertEqual(hit["threshold"], 31)
        self.assertEqual(sorted(hit["labels"]), ["attacker_manifesto", "graphic_violence_defenceless"])

    def test_distances_follow_the_bits_flipped_up_to_the_threshold(self) -> None:
        bank = self.cs.create_bank(support.unique("threshold"), thresholds={"pdq": 20})
        self.addCleanup(self.cs.delete_bank, bank["id"])
        banked = support.random_pdq(self.rng)
        entry = self.cs.add_entry(bank["id"], {"pdq": banked})
        for flipped in (0, 1, 13, 20, 21, 40):
            query = support.flip_bits(banked, flipped, self.rng)
            hits = self.cs.match({"pdq": [query]}, banks=[bank["id"]])["matches"]
            if flipped <= 20:
                self.assertEqual([(h["entry_id"], h["distance"]) for h in hits], [(entry["id"], flipped)])
            else:
                self.assertEqual(hits, [], f"{flipped} bits is beyond the bank's threshold of 20")

    def test_banks_filter_and_unknown_bank(self) -> None:
        self.assertEqual(self.cs.match({"pdq": BANKED_PDQ}, banks=[self.other["id"]])["matches"], [])
        with self.assertRaises(CountersignalError) as refused:
            self.cs.match({"pdq": BANKED_PDQ}, banks=[987_654_321])
        self.assertEqual(refused.exception.status, 422)

    def test_malformed_query_hash_is_a_problem(self) -> None:
        with self.assertRaises(CountersignalError) as refused:
            self.cs.match({"pdq": ["zz" * 32]})
        self.assertEqual(refused.exception.status, 422)
        self.assertTrue((refused.exception.field or "").startswith("signals.pdq"), refused.exception.field)

    def test_content_details_make_a_submission(self) -> None:
        content_id = f"post-{uuid.uuid4().hex}"
        answer = self.cs.match({"pdq": NEAR_PDQ}, banks=[self.bank["id"]],
                               content={"id": content_id, "account": "user-9"})
        self.assertEqual(answer["submission"]["content_id"], content_id)
        [kept] = self.cs.request("GET", "/api/v1/submissions", params={"content_id": content_id})["items"]
        self.assertEqual(kept["account"], "user-9")
        self.assertEqual([m["entry_id"] for m in kept["matches"]], [self.entry["id"]])
        self.assertNotIn("submission", self.cs.match({"pdq": NEAR_PDQ}), "a bare lookup records nothing")

    def test_batch_answers_each_item_in_order_across_calls(self) -> None:
        misses = [{"signals": {"pdq": support.random_pdq(self.rng)}} for _ in range(1_100)]
        queries = misses[:500] + [{"id": "banked", "signals": {"pdq": BANKED_PDQ}}] + misses[500:] \
            + [{"signals": {"pdq": NEAR_PDQ}}]
        answer = self.cs.match_batch(queries, banks=[self.bank["id"]])
        results = answer["results"]
        self.assertEqual(len(results), 1_102)
        self.assertEqual(results[500]["id"], "banked")
        self.assertEqual([(h["entry_id"], h["distance"]) for h in results[500]["matches"]], [(self.entry["id"], 0)])
        self.assertEqual(results[1_101]["id"], "1101", "an item without an id is named by its position")
        self.assertEqual([h["distance"] for h in results[1_101]["matches"]], [6])
        self.assertEqual(sum(1 for r in results if r["matches"]), 2)

    def test_image_is_hashed_banked_and_found_again(self) -> None:
        image = support.png(support.picture(seed=1))
        hashed = self.cs.hash_file(image, content_type="image/png")
        self.assertEqual(hashed["content_type"], "photo")
        self.assertEqual(hashed["signals"]["md5"], hashlib.md5(image).hexdigest())
        self.assertEqual(hashed["signals"]["sha256"], hashlib.sha256(image).hexdigest())
        self.assertRegex(hashed["signals"]["pdq"], "^[0-9a-f]{64}$")
        self.assertGreaterEqual(hashed["quality"]["pdq"], 50)

        bank = self.cs.create_bank(support.unique("uploads"))
        self.addCleanup(self.cs.delete_bank, bank["id"])
        entry = self.cs.upload_entry(bank["id"], image, labels=["attacker_manifesto"], note="still 17")
        self.assertEqual(entry["signals"], hashed["signals"], "the entry holds what /hash computed")
        self.assertEqual(entry["labels"], ["attacker_manifesto"])
        self.assertEqual(entry["note"], "still 17")

        found = self.cs.match_upload(image, banks=[bank["id"]])
        self.assertEqual(found["signals"]["pdq"], hashed["signals"]["pdq"])
        by_type = {h["signal_type"]: h for h in found["matches"]}
        self.assertEqual(set(by_type), {"pdq", "md5", "sha256"})
        self.assertTrue(all(h["entry_id"] == entry["id"] and h["distance"] == 0 for h in by_type.values()))

    def test_file_is_read_from_its_path(self) -> None:
        image = support.png(support.picture(seed=2))
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "still.png")
            with open(path, "wb") as file:
                file.write(image)
            from_path = self.cs.hash_file(path)
        self.assertEqual(from_path["signals"], self.cs.hash_file(image)["signals"])

    def test_rotated_upload_is_found_with_dihedral_and_says_how_it_was_turned(self) -> None:
        # At 64 pixels PDQ downsamples nothing, so the turned picture's hash is exactly a variant.
        picture = support.picture(64, 64, seed=3)
        bank = self.cs.create_bank(support.unique("dihedral"))
        self.addCleanup(self.cs.delete_bank, bank["id"])
        entry = self.cs.upload_entry(bank["id"], support.png(picture, 64, 64))
        turned = support.png(support.rotated_anticlockwise(picture, 64), 64, 64)

        plain = [h for h in self.cs.match_upload(turned, banks=[bank["id"]])["matches"] if h["signal_type"] == "pdq"]
        self.assertEqual(plain, [], "without dihedral the turned picture is too far")
        content_id = f"upload-{uuid.uuid4().hex}"
        found = self.cs.match_upload(turned, banks=[bank["id"]], dihedral=True,
                                     content={"id": content_id, "account": "user-3"})
        [hit] = [h for h in found["matches"] if h["signal_type"] == "pdq"]
        self.assertEqual((hit["entry_id"], hit["distance"], hit["variant"]), (entry["id"], 0, "rotate90"))
        [kept] = self.cs.request("GET", "/api/v1/submissions", params={"content_id": content_id})["items"]
        self.assertEqual((kept["account"], kept["content_type"]), ("user-3", "photo"))

    def test_not_content_is_refused(self) -> None:
        with self.assertRaises(CountersignalError) as refused:
            self.cs.hash_file(b"\x00\x01\x02 not an image", content_type="image/png")
        self.assertEqual(refused.exception.status, 415)
        with self.assertRaises(CountersignalError) as wrong_type:
            self.cs.hash_file(support.png(support.picture()), content_type="application/json")
        self.assertEqual(wrong_type.exception.status, 415)

    def test_text_is_hashed_banked_and_an_excerpt_found(self) -> None:
        text = prose(5, 600)
        hashed = self.cs.hash_text(text)
        self.assertEqual(hashed["content_type"], "text")
        self.assertEqual(hashed["words"], {"text": 600})
        self.assertEqual(hashed["signals"]["sha256"], hashlib.sha256(text.encode()).hexdigest())

        bank = self.cs.create_bank(support.unique("texts"))
        self.addCleanup(self.cs.delete_bank, bank["id"])
        entry = self.cs.upload_entry(bank["id"], text.encode(), content_type="text/plain; charset=utf-8")
        self.assertTrue(entry["signals"]["text"].endswith(":600"), entry["signals"]["text"])

        excerpt = " ".join(text.split()[200:450])
        found = self.cs.match_text(f"as they wrote: {excerpt} and so on", banks=[bank["id"]])
        [hit] = [h for h in found["matches"] if h["signal_type"] == "text"]
        self.assertEqual(hit["entry_id"], entry["id"])
        self.assertLessEqual(hit["distance"], hit["threshold"])
        low, high = hit["part"]["banked"]["words"]
        self.assertTrue(low < 450 and high > 200, f"the banked words {low}-{high} overlap the excerpt")
        self.assertEqual(self.cs.match_text(prose(6, 300), banks=[bank["id"]])["matches"], [])


class UrlTest(unittest.TestCase):
    """Content the server fetches itself; the run may open one loopback port to it."""

    cs: Countersignal

    @classmethod
    def setUpClass(cls) -> None:
        cls.cs = support.client()

    def test_private_address_is_refused(self) -> None:
        with self.assertRaises(CountersignalError) as refused:
            self.cs.hash_url("http://127.0.0.1:9/still.png")
        self.assertEqual(refused.exception.status, 422)
        self.assertEqual(refused.exception.field, "url")
        self.assertIn("not a public address", refused.exception.detail or "")

    def test_image_at_a_url_is_hashed_and_matched(self) -> None:
        port = os.environ.get("COUNTERSIGNAL_TEST_FETCH_PORT")
        if not port:
            self.skipTest("COUNTERSIGNAL_TEST_FETCH_PORT names no loopback port the server may fetch from")
        image = support.png(support.picture(seed=4))

        class Still(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(image)))
                self.end_headers()
                self.wfile.write(image)

            def log_message(self, *args) -> None:
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", int(port)), Still)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        url = f"http://127.0.0.1:{port}/still.png"

        hashed = self.cs.hash_url(url)
        self.assertEqual(hashed["signals"], self.cs.hash_file(image)["signals"])
        bank = self.cs.create_bank(support.unique("urls"))
        self.addCleanup(self.cs.delete_bank, bank["id"])
        entry = self.cs.upload_entry(bank["id"], image)
        found = self.cs.match_url(url, banks=[bank["id"]])
        self.assertEqual({(h["signal_type"], h["entry_id"], h["distance"]) for h in found["matches"]},
                         {(t, entry["id"], 0) for t in ("pdq", "md5", "sha256")})


if __name__ == "__main__":
    unittest.main()
