<?php
namespace SegmentPress\Tests;
class PrivacyTest extends TestCase { public function test_placeholder() { $this->markTestIncomplete(); } }
