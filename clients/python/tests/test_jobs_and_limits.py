"""Video jobs, rate limits and keys through the client."""

from __future__ import annotations

import hashlib
import time
import unittest

from countersignal_client import Countersignal, CountersignalError

from . import support

FRAMES = [support.picture(64, 64, seed=i) for i in range(10)]


class VideoJobTest(unittest.TestCase):
    """A video is hashed in the background: the call answers with a job, polled until done."""

    cs: Countersignal
    video: bytes

    @classmethod
    def setUpClass(cls) -> None:
        cls.cs = support.client()
        cls.video = support.avi(FRAMES, fps=5)

    def test_video_is_hashed_by_a_job(self) -> None:
        accepted = self.cs.hash_file(self.video, content_type="video/x-msvideo")
        self.assertEqual(accepted["kind"], "hash")
        self.assertIn(accepted["status"], ("queued", "running", "succeeded"))
        job = self.cs.wait_for_job(accepted, timeout=120)
        self.assertEqual(job["status"], "succeeded", job.get("error"))
        result = job["result"]
        self.assertEqual(result["content_type"], "video")
        self.assertEqual(result["signals"]["md5"], hashlib.md5(self.video).hexdigest())
        self.assertEqual(result["video"]["frames"], 10)
        self.assertEqual(result["video"]["distinct_frames"], 10)
        self.assertAlmostEqual(result["video"]["seconds"], 1.8, places=3)
        frames = self.cs.request("GET", job["frames_url"]).splitlines()
        self.assertEqual([line.split(",")[0] for line in frames], [str(i) for i in range(10)])
        self.assertEqual(self.cs.job(job["id"])["status"], "succeeded")

    def test_video_is_banked_and_found_by_its_frames(self) -> None:
        bank = self.cs.create_bank(support.unique("videos"))
        self.addCleanup(self.cs.delete_bank, bank["id"])
        accepted = self.cs.upload_entry(bank["id"], self.video, labels=["attacker_manifesto"])
        self.assertEqual(accepted["kind"], "bank")
        banked = self.cs.wait_for_job(accepted["id"], timeout=120)
        self.assertEqual(banked["status"], "succeeded", banked.get("error"))
        entry = self.cs.entry(banked["result"]["entry"]["id"])
        self.assertEqual(entry["bank_id"], bank["id"])
        self.assertEqual(entry["labels"], ["attacker_manifesto"])
        self.assertEqual(entry["signals"]["md5"], hashlib.md5(self.video).hexdigest())
        self.assertIn("vpdq", entry["signals"])

        # The same frames at another frame rate: another file, the same pictures.
        copy = support.avi(FRAMES, fps=10)
        job = self.cs.wait_for_job(self.cs.match_upload(copy, banks=[bank["id"]]), timeout=120)
        self.assertEqual(job["status"], "succeeded", job.get("error"))
        [hit] = job["result"]["matches"]
        self.assertEqual((hit["signal_type"], hit["entry_id"]), ("vpdq", entry["id"]))
        self.assertEqual((hit["query_matched_percent"], hit["bank_matched_percent"]), (100.0, 100.0))

        other = support.avi([support.picture(64, 64, seed=40 + i) for i in range(10)])
        unrelated = self.cs.wait_for_job(self.cs.match_upload(other, banks=[bank["id"]]), timeout=120)
        self.assertEqual(unrelated["result"]["matches"], [])

    def test_unknown_job_is_404(self) -> None:
        with self.assertRaises(CountersignalError) as missing:
            self.cs.job(987_654_321)
        self.assertEqual(missing.exception.status, 404)


class RateLimitAndKeyTest(unittest.TestCase):
    cs: Countersignal

    @classmethod
    def setUpClass(cls) -> None:
        cls.cs = support.client()

    def slow_key(self) -> str:
        """A matcher key allowed one request a second, so the second of two is refused."""
        made = self.cs.request("POST", "/api/v1/keys", {"role": "matcher", "name": support.unique("slow"),
                                                        "rate_limit": {"per_second": 1, "burst": 1}})
        self.addCleanup(self.cs.request, "DELETE", f"/api/v1/keys/{made['id']}")
        return made["key"]

    def test_429_is_raised_with_retry_after_when_retries_are_off(self) -> None:
        impatient = Countersignal(self.cs.base_url, self.slow_key(), retries=0)
        impatient.match({"md5": "d35c1e2f3a4b5c6d7e8f90a1b2c3d4e5"})
        with self.assertRaises(CountersignalError) as refused:
            impatient.match({"md5": "d35c1e2f3a4b5c6d7e8f90a1b2c3d4e5"})
        error = refused.exception
        self.assertEqual(error.status, 429)
        self.assertEqual(error.type, "urn:countersignal:problem:too-many-requests")
        self.assertGreaterEqual(error.retry_after or 0, 1)

    def test_429_is_waited_out_when_retries_are_on(self) -> None:
        key = self.slow_key()
        patient = Countersignal(self.cs.base_url, key, retries=3)
        started = time.monotonic()
        for _ in range(3):
            self.assertEqual(patient.match({"md5": "d35c1e2f3a4b5c6d7e8f90a1b2c3d4e5"})["matches"], [])
        self.assertGreaterEqual(time.monotonic() - started, 1.5, "three requests at one a second")
        hurried = Countersignal(self.cs.base_url, key, retries=3, max_retry_wait=0.1)
        with self.assertRaises(CountersignalError) as refused:
            hurried.match({"md5": "d35c1e2f3a4b5c6d7e8f90a1b2c3d4e5"})
        self.assertEqual(refused.exception.status, 429, "a wait longer than allowed is raised, not slept")

    def test_unknown_key_is_401_and_a_role_without_the_route_403(self) -> None:
        with self.assertRaises(CountersignalError) as unknown:
            Countersignal(self.cs.base_url, "cs_not_a_key").banks()
        self.assertEqual(unknown.exception.status, 401)
        with self.assertRaises(CountersignalError) as forbidden:
            Countersignal(self.cs.base_url, self.slow_key()).banks()
        self.assertEqual(forbidden.exception.status, 403)


if __name__ == "__main__":
    unittest.main()
