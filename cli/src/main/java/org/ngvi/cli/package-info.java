package org.ngvi.cli;
